import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const LOADER_ENTRY = new URL("./loader.ts", import.meta.url).pathname;

/** Bundles the loader into one small, minified script for old and new browsers alike. */
export async function buildLoader(): Promise<{ code: string; gzipBytes: number }> {
  const result = await build({
    entryPoints: [LOADER_ENTRY],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2019"],
    write: false,
    legalComments: "none",
  });
  const code = result.outputFiles[0]!.text;
  return { code, gzipBytes: gzipSync(code).length };
}
