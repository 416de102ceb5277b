import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The shared read-only corpus: <repo>/../shared/corpus. */
export const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/corpus");

export function corpusFile(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(CORPUS, rel)));
}

// biome-ignore lint/suspicious/noExplicitAny: manifests are third-party JSON
export function manifest(kind: "stl" | "obj" | "3mf"): { files: any[] } {
  return JSON.parse(readFileSync(resolve(CORPUS, kind, "manifest.json"), "utf8"));
}

export function relErr(actual: number, expected: number, scale = Math.abs(expected)): number {
  return Math.abs(actual - expected) / Math.max(scale, 1e-300);
}
