import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { marketplace } from "@ktizo/api";
import {
  type AppLoadContext,
  MaxPartSizeExceededError,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

/** A file part received to a temporary file: never held in memory whole. */
export interface ReceivedFile {
  fileName: string;
  /** The type the client declared for the part ("" when none); domain code checks it against the bytes. */
  contentType: string;
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
 * as text. The caller analyses and stores from the file, then calls `cleanup` (always). A form without
 * files (url-encoded, such as a "remove" button beside the upload) is read as it is, with no files.
 */
export async function receiveFiles(
  request: Request,
  options: { field: string; maxBytes: number },
): Promise<{ files: ReceivedFile[]; fields: FormData; cleanup(): Promise<void> }> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    // The host bounds this body while it streams, like every other form.
    return { files: [], fields: await request.formData(), cleanup: async () => undefined };
  }
  const dir = await mkdtemp(join(tmpdir(), "ktizo-upload-"));
  const files: ReceivedFile[] = [];
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const fields = await unstable_parseMultipartFormData(
      request,
      async ({ name, filename, contentType, data }) => {
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
        files.push({
          fileName: filename,
          contentType: contentType ?? "",
          path,
          size,
          sha256: hash.digest("hex"),
        });
        return `received:${files.length - 1}`;
      },
    );
    return { files, fields, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof MaxPartSizeExceededError) throw new UploadTooLargeError(error.message);
    throw error;
  }
}

/**
 * A received file's bytes, for the domain entry points that take bytes (a job file, a logo): read once,
 * after the size limit held while it streamed.
 */
export async function readReceivedFile(file: ReceivedFile): Promise<Uint8Array> {
  return new Uint8Array(await readFile(file.path));
}

/**
 * What `marketplace.createModelUpload` needs for received files: the runtime's one way of analysing
 * (the worker pool reads the file itself, so the web process holds no copy); the stored copy streams
 * from the file.
 */
export function modelUploadDeps(
  context: AppLoadContext,
  options: { maxBytes?: number } = {},
): marketplace.ModelUploadDeps {
  const { runtime } = context;
  return {
    storage: runtime.services.storage,
    // createModelUpload hands over a copy already: the runtime copies again for its fallback.
    analyze: (bytes) => runtime.analyzeModel(bytes, options),
    analyzeFile: (path) => runtime.analyzeModelFile(path, options),
  };
}
