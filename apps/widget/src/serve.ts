import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { buildLoader } from "./build.ts";

const DIST = new URL("../dist/widget.js", import.meta.url);

let cached: Promise<{ code: string; etag: string }> | undefined;

/** The loader script as the web app serves it: the built file, or built now when there is none (dev). */
export function loaderScript(): Promise<{ code: string; etag: string }> {
  cached ??= (async () => {
    const code = existsSync(DIST) ? readFileSync(DIST, "utf8") : (await buildLoader()).code;
    return { code, etag: `"${createHash("sha256").update(code).digest("base64url").slice(0, 22)}"` };
  })();
  return cached;
}
