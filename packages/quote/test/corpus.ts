import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/**
 * The mesh corpus, copied into the repository from public projects (licences in `corpus/licenses/`,
 * sources in each manifest). Files over 2 MB that compress well are stored gzipped (`name.gz`) and
 * read back byte for byte; the manifests name the original files.
 */
export const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), "corpus");

export function corpusFile(rel: string): Uint8Array {
  const path = resolve(CORPUS, rel);
  if (existsSync(path)) return new Uint8Array(readFileSync(path));
  return new Uint8Array(gunzipSync(readFileSync(`${path}.gz`)));
}

// biome-ignore lint/suspicious/noExplicitAny: manifests are third-party JSON
export function manifest(kind: "stl" | "obj" | "3mf"): { files: any[] } {
  return JSON.parse(readFileSync(resolve(CORPUS, kind, "manifest.json"), "utf8"));
}

export function relErr(actual: number, expected: number, scale = Math.abs(expected)): number {
  return Math.abs(actual - expected) / Math.max(scale, 1e-300);
}
