import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { marketplace } from "@ktizo/api";
import type { StagedFile, StorageService } from "@ktizo/services";
import type { AppLoadContext } from "@remix-run/node";
import { MalformedMultipartError, multipartBoundary, type PartSink, readMultipart } from "./multipart.ts";

/**
 * How much of a file may wait for the disk while the next chunks are read from the socket: reading and
 * writing overlap, and this (not the file) bounds what an upload holds in memory.
 */
const WRITE_WINDOW = 1024 * 1024;

/** A file part received to a file on disk: never held in memory whole. */
export interface ReceivedFile {
  fileName: string;
  /** The type the client declared for the part ("" when none); domain code checks it against the bytes. */
  contentType: string;
  path: string;
  size: number;
  sha256: string;
  /** With `storage`: makes the file the stored copy (in place); until then `cleanup` removes it. */
  commit?: StagedFile["commit"];
}

export class UploadTooLargeError extends Error {
  override readonly name = "UploadTooLargeError";
}

/**
 * Reads a multipart upload the one way model uploads are read (`readMultipart`: native search, no copy
 * of the content): each `field` part streams to a temporary file while it is hashed and counted,
 * refused the moment it passes `maxBytes`; other fields are kept as text. The caller analyses and stores
 * from the file, then calls `cleanup` (always). Anything that stops the reading (the limit, broken
 * framing, an aborted body) removes what was written. A form without files (url-encoded, such as a
 * "remove" button beside the upload) is read as it is, with no files.
 */
export async function receiveFiles(
  request: Request,
  options: {
    field: string;
    maxBytes: number;
    /** Where the temporary folder is made (default: the system's temporary directory). */
    tmpRoot?: string;
    /**
     * Write each file once, straight into storage's staging place (`StorageService.stage`), instead of
     * a temporary file that storage copies later; the file is stored only when its `commit` is called.
     */
    storage?: Pick<StorageService, "stage">;
  },
): Promise<{ files: ReceivedFile[]; fields: FormData; cleanup(): Promise<void> }> {
  const type = request.headers.get("content-type") ?? "";
  if (type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    // The host bounds this body while it streams, like every other form.
    return { files: [], fields: await request.formData(), cleanup: async () => undefined };
  }
  const boundary = multipartBoundary(type);
  if (!boundary || !request.body) throw new MalformedMultipartError("The upload is not multipart/form-data.");
  const storage = options.storage;
  const dir = storage ? null : await mkdtemp(join(options.tmpRoot ?? tmpdir(), "ktizo-upload-"));
  const files: ReceivedFile[] = [];
  const fields = new FormData();
  const staged: StagedFile[] = [];
  // Committed files are storage's; every other file written here goes.
  const cleanup = async () => {
    await Promise.all(staged.map((file) => file.discard()));
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  const open = new Set<WriteStream>();
  try {
    await readMultipart(
      request.body,
      boundary,
      async ({ name, filename, contentType }): Promise<PartSink> => {
        if (name !== options.field || filename === undefined) {
          // A text field: small by construction (the host bounds the whole body).
          const decoder = new TextDecoder();
          let text = "";
          return {
            write: (chunk) => {
              text += decoder.decode(chunk, { stream: true });
            },
            end: () => fields.append(name, text + decoder.decode()),
          };
        }
        const stage = storage ? await storage.stage() : null;
        if (stage) staged.push(stage);
        const path = stage ? stage.path : join(dir!, String(files.length + 1));
        const out = createWriteStream(path, { highWaterMark: WRITE_WINDOW });
        open.add(out);
        const hash = createHash("sha256");
        let size = 0;
        let failed: Error | null = null;
        out.on("error", (error) => {
          failed = error;
        });
        return {
          async write(chunk) {
            size += chunk.byteLength;
            if (size > options.maxBytes)
              throw new UploadTooLargeError(`${name} is larger than ${options.maxBytes} bytes`);
            if (failed) throw failed;
            hash.update(chunk);
            // The chunk is the socket's own buffer: written as it is, not copied.
            if (!out.write(chunk)) await once(out, "drain");
          },
          async end() {
            out.end();
            await once(out, "close");
            open.delete(out);
            if (failed) throw failed;
            if (size === 0) return;
            const sha256 = hash.digest("hex");
            files.push({
              fileName: filename,
              contentType: contentType ?? "",
              path,
              size,
              sha256,
              ...(stage ? { commit: stage.commit } : {}),
            });
            fields.append(name, `received:${files.length - 1}`);
          },
        };
      },
    );
    return { files, fields, cleanup };
  } catch (error) {
    // A file still being written when the reading stopped is closed before its folder goes.
    await Promise.all(
      [...open].map((out) => (out.closed ? undefined : once(out.destroy(), "close").catch(() => {}))),
    );
    await cleanup();
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
