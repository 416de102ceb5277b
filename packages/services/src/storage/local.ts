import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { inputErrorFrom, ServiceInputError } from "../errors.ts";
import { checkStaged, writeStreamToFile } from "./spool.ts";
import {
  assertFileKey,
  cleanFileName,
  newFileKey,
  putFileSchema,
  putStreamSchema,
  type StorageService,
} from "./types.ts";

interface Metadata {
  contentType: string;
  fileName: string;
  size: number;
  storedAt: string;
}

export interface LocalDiskStorageOptions {
  /** KTIZO_DATA_DIR; files go to `<dataDir>/files`. */
  dataDir: string;
  maxBytes?: number;
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "ENOENT";
}

/**
 * Embedded storage: files on local disk beside the PGlite folder. The path is built only from a key
 * that matched FILE_KEY_PATTERN, so traversal is impossible by construction.
 */
export function createLocalDiskStorage(options: LocalDiskStorageOptions): StorageService {
  const root = join(options.dataDir, "files");
  const maxBytes = options.maxBytes ?? 200 * 1024 * 1024;
  const paths = (key: string) => {
    assertFileKey(key);
    return { data: join(root, key), meta: join(root, `${key}.json`) };
  };

  /** A temporary name to write the content to, and the step that moves it and its metadata in place. */
  const prepare = async (key: string) => {
    const target = paths(key);
    await mkdir(root, { recursive: true });
    const suffix = `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    return {
      temporary: target.data + suffix,
      async commit(file: { contentType: string; fileName: string; size: number }) {
        const meta: Metadata = {
          ...file,
          fileName: cleanFileName(file.fileName),
          storedAt: new Date().toISOString(),
        };
        // Content, then metadata, then both renamed: a reader never sees half a file.
        await writeFile(target.meta + suffix, JSON.stringify(meta));
        await rename(target.data + suffix, target.data);
        await rename(target.meta + suffix, target.meta);
      },
    };
  };

  return {
    provider: "local-disk",

    async put(input) {
      const parsed = putFileSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const { bytes, contentType, fileName } = parsed.data;
      if (bytes.byteLength > maxBytes)
        throw new ServiceInputError("bytes", `must be at most ${maxBytes} bytes`);
      const key = parsed.data.key ?? newFileKey();
      const { temporary, commit } = await prepare(key);
      await writeFile(temporary, bytes);
      await commit({ contentType, fileName, size: bytes.byteLength });
      return { key, size: bytes.byteLength };
    },

    async putStream({ body, ...input }) {
      const parsed = putStreamSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const key = parsed.data.key ?? newFileKey();
      const { temporary, commit } = await prepare(key);
      const size = await writeStreamToFile(body, temporary, maxBytes);
      await commit({ contentType: parsed.data.contentType, fileName: parsed.data.fileName, size });
      return { key, size };
    },

    async stage() {
      // The content goes to the temporary name beside its final place: committing is a rename.
      const key = newFileKey();
      const { temporary, commit } = await prepare(key);
      await writeFile(temporary, new Uint8Array(0), { flag: "wx" });
      let committed = false;
      return {
        path: temporary,
        async commit(input) {
          if (committed) throw new ServiceInputError("key", "is already committed");
          const file = await checkStaged(temporary, input, maxBytes);
          await commit(file);
          committed = true;
          return { key, size: file.size };
        },
        async discard() {
          if (!committed) await rm(temporary, { force: true });
        },
      };
    },

    async get(key) {
      const target = paths(key);
      try {
        const [bytes, metaText] = await Promise.all([readFile(target.data), readFile(target.meta, "utf8")]);
        const meta = JSON.parse(metaText) as Metadata;
        return {
          key,
          bytes: new Uint8Array(bytes),
          size: bytes.byteLength,
          contentType: meta.contentType,
          fileName: meta.fileName,
        };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async open(key) {
      const target = paths(key);
      // The open handle keeps reading the same file even if it is replaced or deleted meanwhile.
      const handle = await open(target.data).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!handle) return null;
      try {
        const [info, metaText] = await Promise.all([handle.stat(), readFile(target.meta, "utf8")]);
        const meta = JSON.parse(metaText) as Metadata;
        const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
        return { key, size: info.size, contentType: meta.contentType, fileName: meta.fileName, body };
      } catch (error) {
        await handle.close();
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      const target = paths(key);
      await rm(target.data, { force: true });
      await rm(target.meta, { force: true });
    },
  };
}
