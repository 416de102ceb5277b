import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { marketplace } from "@ktizo/api";
import { analyzeModel, isQuoteError, type ModelAnalysis } from "@ktizo/quote";
import {
  type AppLoadContext,
  MaxPartSizeExceededError,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

/** A file part received to a temporary file: never held in memory whole. */
export interface ReceivedFile {
  fileName: string;
  path: string;
  size: number;
  sha256: string;
}

export class UploadTooLargeError extends Error {
  override readonly name = "UploadTooLargeError";
}

/**
 * Reads a multipart upload the one way model uploads are read: each `field` part streams to a temporary
 * file while it is hashed and counted, refused the moment it passes `maxBytes`; other fields are kept
 * as text. The caller analyses and stores from the file, then calls `cleanup` (always).
 */
export async function receiveFiles(
  request: Request,
  options: { field: string; maxBytes: number },
): Promise<{ files: ReceivedFile[]; fields: FormData; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ktizo-upload-"));
  const files: ReceivedFile[] = [];
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const fields = await unstable_parseMultipartFormData(request, async ({ name, filename, data }) => {
      if (name !== options.field || filename === undefined) {
        // A text field: small by construction (the host bounds the whole body).
        let text = "";
        const decoder = new TextDecoder();
        for await (const chunk of data) text += decoder.decode(chunk, { stream: true });
        return text + decoder.decode();
      }
      const path = join(dir, String(files.length));
      const out = createWriteStream(path);
      const hash = createHash("sha256");
      let size = 0;
      try {
        for await (const chunk of data) {
          size += chunk.byteLength;
          if (size > options.maxBytes) throw new MaxPartSizeExceededError(name, options.maxBytes);
          hash.update(chunk);
          if (!out.write(chunk)) await once(out, "drain");
        }
      } finally {
        out.end();
        await once(out, "close");
      }
      if (size === 0) return null;
      files.push({ fileName: filename, path, size, sha256: hash.digest("hex") });
      return `received:${files.length - 1}`;
    });
    return { files, fields, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof MaxPartSizeExceededError) throw new UploadTooLargeError(error.message);
    throw error;
  }
}

/**
 * What `marketplace.createModelUpload` needs for received files: the analysis runs in the worker pool,
 * whose workers read the file themselves (the web process holds no copy); if no worker can start, it
 * runs here as a last resort. The stored copy streams from the file.
 */
export function modelUploadDeps(context: AppLoadContext): marketplace.ModelUploadDeps {
  const { analysisPool: pool, metrics, services } = context.runtime;
  const timed = async (run: () => Promise<ModelAnalysis>, fallback: () => Promise<ModelAnalysis>) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const analysis = await run();
      metrics.analysisDuration.observe({ outcome: "ok" }, seconds());
      return analysis;
    } catch (error) {
      if (!isQuoteError(error)) return fallback();
      metrics.analysisDuration.observe({ outcome: "refused" }, seconds());
      throw error;
    }
  };
  return {
    storage: services.storage,
    analyze: (bytes) =>
      timed(
        () => pool.analyze(bytes),
        async () => analyzeModel(bytes),
      ),
    analyzeFile: (path) =>
      timed(
        () => pool.analyzeFile(path),
        async () => analyzeModel(new Uint8Array(await readFile(path))),
      ),
  };
}
