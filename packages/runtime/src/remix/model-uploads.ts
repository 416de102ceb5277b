import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { marketplace } from "@ktizo/api";
import type { ModelAnalysis } from "@ktizo/quote";
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
  /**
   * With `analyze`: the model's analysis, read while the file arrived (the same as the file's); until it
   * is asked for, `cleanup` drops it.
   */
  analysis?: () => Promise<ModelAnalysis>;
}

/**
 * A model analysed while it arrives (`Runtime.analyzeModelStream`, the pool's `stream`): each piece is
 * written to it as it is written to disk, and its promise paces the reading of the body.
 */
export interface ModelAnalysisStream {
  write(chunk: Uint8Array): Promise<void>;
  /**
   * With it, the stream hashes the bytes written (the pool's worker does, for a binary STL it reads) and
   * the received file's SHA-256 is this, asked once the file is complete; without it, `receiveFiles`
   * hashes each piece itself.
   */
  digest?(path: string): Promise<string>;
  end(path: string): Promise<ModelAnalysis>;
  abort(): void;
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
    /**
     * Analyse each file while it arrives (`modelAnalysis`): the same pieces go to the disk, the hash and
     * the analysis, the slowest of them paces the socket, and the file's `analysis` is ready soon after
     * its last byte. A file that does not get to the end (the limit, an aborted body) is dropped by it.
     */
    analyze?: () => ModelAnalysisStream;
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
    for (const analysis of analyses) analysis.abort();
    await Promise.all(staged.map((file) => file.discard()));
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  const open = new Set<WriteStream>();
  const analyses: ModelAnalysisStream[] = [];
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
        const analysis = options.analyze?.() ?? null;
        // hashed here unless the analysis hashes what it reads (off this thread)
        const hash = analysis?.digest ? null : createHash("sha256");
        if (analysis) analyses.push(analysis);
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
            hash?.update(chunk);
            // The chunk is the socket's own buffer: written as it is, not copied (the analysis copies
            // it into the piece it hands its worker).
            const analysed = analysis?.write(chunk);
            if (!out.write(chunk)) await once(out, "drain");
            await analysed;
          },
          async end() {
            out.end();
            await once(out, "close");
            open.delete(out);
            if (failed) throw failed;
            if (size === 0) return;
            const sha256 = hash ? hash.digest("hex") : await analysis!.digest!(path);
            files.push({
              fileName: filename,
              contentType: contentType ?? "",
              path,
              size,
              sha256,
              ...(stage ? { commit: stage.commit } : {}),
              ...(analysis ? { analysis: () => analysis.end(path) } : {}),
            });
            fields.append(name, `received:${files.length - 1}`);
          },
        };
      },
    );
    return { files, fields, cleanup };
  } catch (error) {
    // A file still being written when the reading stopped is closed before its folder goes (and its
    // analysis dropped, by `cleanup`).
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
 * `receiveFiles`' `analyze` for model uploads: each file analysed in the runtime's worker pool while it
 * arrives (a binary STL is read piece by piece; other formats from the staged file once it is whole).
 */
export function modelAnalysis(
  context: AppLoadContext,
  options: { maxBytes?: number } = {},
): () => ModelAnalysisStream {
  return () => context.runtime.analyzeModelStream(options);
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
