import { newId } from "@ktizo/db";
import { z } from "zod";
import { ServiceInputError } from "../errors.ts";

/** Keys are generated ("f_" + 26 base36 chars); nothing else is accepted, so no path can be smuggled in. */
export const FILE_KEY_PATTERN = /^f_[0-9a-z]{26}$/;

export function newFileKey(): string {
  return newId("f");
}

export function assertFileKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || !FILE_KEY_PATTERN.test(key)) {
    throw new ServiceInputError("key", "is not a file key issued by storage");
  }
}

export const putFileSchema = z.object({
  key: z.string().regex(FILE_KEY_PATTERN, "is not a file key issued by storage").optional(),
  bytes: z.instanceof(Uint8Array, { message: "must be bytes (Uint8Array or Buffer)" }),
  contentType: z
    .string()
    .regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/i, "must be a MIME type such as model/stl")
    .max(255),
  /** The uploader's name for the file: kept as metadata for downloads, never used as a key or path. */
  fileName: z.string().min(1).max(255),
});
export type PutFileInput = z.input<typeof putFileSchema>;

/** What `putStream` checks before it reads a byte: everything of `putFileSchema` but the bytes. */
export const putStreamSchema = putFileSchema.omit({ bytes: true });
export type PutStreamInput = z.input<typeof putStreamSchema> & {
  /** The content, read chunk by chunk: a large file never sits in memory whole. */
  body: AsyncIterable<Uint8Array>;
};

export interface StoredFile {
  key: string;
  bytes: Uint8Array;
  size: number;
  contentType: string;
  fileName: string;
}

/** A stored file opened for reading: `body` yields its bytes as they are read, not all at once. */
export interface StoredFileStream {
  key: string;
  /** Null when the provider did not say (a download without Content-Length). */
  size: number | null;
  contentType: string;
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * A file written straight where storage will keep it (`stage`): the caller writes the content to `path`
 * (and others on this machine, such as the analysis workers, may read it there), then either commits it,
 * which makes it a stored file under a new key, or discards it. Nothing is stored until `commit`.
 */
export interface StagedFile {
  /** A file on this machine's disk, created empty, for the content. */
  readonly path: string;
  /**
   * Stores what was written under a new key: local disk renames it in place (no second write); object
   * storage sends it. Refused, with nothing stored, past the size limit or with bad metadata.
   */
  commit(input: z.input<typeof putStreamSchema>): Promise<{ key: string; size: number }>;
  /** Removes the staged content unless it was committed; safe to call more than once. */
  discard(): Promise<void>;
}

export interface StorageService {
  /** "local-disk" (embedded) or "uploadthing". */
  readonly provider: "local-disk" | "uploadthing";
  /** Stores bytes under a new generated key (or the given, previously issued key, to replace it). */
  put(input: PutFileInput): Promise<{ key: string; size: number }>;
  /** Like `put`, from a stream (large archives): refused, with nothing stored, past the size limit. */
  putStream(input: PutStreamInput): Promise<{ key: string; size: number }>;
  /** A file to write content to in place, stored only when committed (large uploads: written once). */
  stage(): Promise<StagedFile>;
  get(key: string): Promise<StoredFile | null>;
  /** Like `get`, without reading the content into memory: the caller reads or cancels `body`. */
  open(key: string): Promise<StoredFileStream | null>;
  /** Removes a file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  /** A direct, time-limited download URL where the provider has one (UploadThing); local files go through the app. */
  url?(key: string): Promise<string>;
}

/** A file name safe to put in metadata and Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return cleaned === "" || cleaned === "." || cleaned === ".." ? "file" : cleaned.slice(0, 255);
}
