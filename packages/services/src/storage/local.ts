import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inputErrorFrom, ServiceInputError } from "../errors.ts";
import { assertFileKey, cleanFileName, newFileKey, putFileSchema, type StorageService } from "./types.ts";

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

  return {
    provider: "local-disk",

    async put(input) {
      const parsed = putFileSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const { bytes, contentType, fileName } = parsed.data;
      if (bytes.byteLength > maxBytes)
        throw new ServiceInputError("bytes", `must be at most ${maxBytes} bytes`);
      const key = parsed.data.key ?? newFileKey();
      const target = paths(key);
      await mkdir(root, { recursive: true });
      const meta: Metadata = {
        contentType,
        fileName: cleanFileName(fileName),
        size: bytes.byteLength,
        storedAt: new Date().toISOString(),
      };
      // Write then rename, so a reader never sees half a file.
      const suffix = `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      await writeFile(target.data + suffix, bytes);
      await writeFile(target.meta + suffix, JSON.stringify(meta));
      await rename(target.data + suffix, target.data);
      await rename(target.meta + suffix, target.meta);
      return { key, size: bytes.byteLength };
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

    async delete(key) {
      const target = paths(key);
      await rm(target.data, { force: true });
      await rm(target.meta, { force: true });
    },
  };
}
