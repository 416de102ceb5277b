import { openAsBlob } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UTApi, UTFile } from "uploadthing/server";
import { z } from "zod";
import { inputErrorFrom, ProviderError, ServiceInputError } from "../errors.ts";
import { checkStaged, writeStreamToFile } from "./spool.ts";
import {
  assertFileKey,
  cleanFileName,
  newFileKey,
  putFileSchema,
  putStreamSchema,
  type StorageService,
} from "./types.ts";

const tokenSchema = z.object({
  apiKey: z.string().min(1),
  appId: z.string().min(1),
  regions: z.array(z.string()).min(1),
});

/** Reads the app id out of an UploadThing token (base64 JSON), refusing a malformed token at start-up. */
export function parseUploadThingToken(token: string): z.infer<typeof tokenSchema> {
  try {
    return tokenSchema.parse(JSON.parse(Buffer.from(token, "base64").toString("utf8")));
  } catch {
    throw new ServiceInputError(
      "UPLOADTHING_TOKEN",
      "is not an UploadThing token (base64 JSON with apiKey, appId, regions)",
    );
  }
}

export interface UploadThingStorageOptions {
  token: string;
  /** Overrides of api.uploadthing.com, the regional ingest server and the <appId>.ufs.sh CDN (tests: loopback). */
  apiBaseUrl?: string;
  ingestBaseUrl?: string;
  filesBaseUrl?: string;
  /** Largest file `putStream` accepts (UploadThing's own plan limit applies as well). */
  maxBytes?: number;
}

/**
 * UploadThing as object storage. Our generated key travels as UploadThing's `customId`, so callers only
 * ever see Ktizo keys; downloads come from the CDN by that id.
 */
export function createUploadThingStorage(options: UploadThingStorageOptions): StorageService {
  const { appId } = parseUploadThingToken(options.token);
  const utapi = new UTApi({
    token: options.token,
    defaultKeyType: "customId",
    logLevel: "Error",
    ...(options.apiBaseUrl ? { apiUrl: options.apiBaseUrl } : {}),
    ...(options.ingestBaseUrl ? { ingestUrl: options.ingestBaseUrl } : {}),
  });
  const filesBase = (options.filesBaseUrl ?? `https://${appId}.ufs.sh`).replace(/\/$/, "");
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024 * 1024;

  const upload = async (
    key: string,
    content: Blob | Uint8Array<ArrayBuffer>,
    contentType: string,
    fileName: string,
  ) => {
    // `type` is a Blob option the bundled typings do not list (no DOM lib here), hence the variable.
    const fileOptions = { type: contentType, customId: key };
    const file = new UTFile([content], cleanFileName(fileName), fileOptions);
    const result = await utapi.uploadFiles(file, { contentDisposition: "attachment" });
    if (result.error) throw new ProviderError("uploadthing", `upload failed: ${result.error.message}`);
  };

  /** The CDN's answer for a key: null for 404, an error for anything else that is not 2xx. */
  const download = async (key: string) => {
    assertFileKey(key);
    let response: Response;
    try {
      response = await fetch(`${filesBase}/f/${key}`);
    } catch (error) {
      throw new ProviderError("uploadthing", "download failed", { cause: error });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ProviderError("uploadthing", `download failed with HTTP ${response.status}`);
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
    return {
      response,
      contentType: response.headers.get("content-type") ?? "application/octet-stream",
      fileName: name ? cleanFileName(decodeURIComponent(name)) : key,
    };
  };

  return {
    provider: "uploadthing",

    async put(input) {
      const parsed = putFileSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const key = parsed.data.key ?? newFileKey();
      if (parsed.data.key) await this.delete(key);
      await upload(key, parsed.data.bytes, parsed.data.contentType, parsed.data.fileName);
      return { key, size: parsed.data.bytes.byteLength };
    },

    async putStream({ body, ...input }) {
      const parsed = putStreamSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const key = parsed.data.key ?? newFileKey();
      // The SDK uploads a Blob of known size: spool to a temporary file, whose Blob is read from disk
      // as it is sent, so the content never sits in memory whole.
      const dir = await mkdtemp(join(tmpdir(), "ktizo-upload-"));
      try {
        const path = join(dir, "content");
        const size = await writeStreamToFile(body, path, maxBytes);
        if (parsed.data.key) await this.delete(key);
        await upload(key, await openAsBlob(path), parsed.data.contentType, parsed.data.fileName);
        return { key, size };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async stage() {
      // Spooled on local disk (the workers on this machine read it there), sent on commit.
      const dir = await mkdtemp(join(tmpdir(), "ktizo-upload-"));
      const path = join(dir, "content");
      await writeFile(path, new Uint8Array(0));
      let committed = false;
      return {
        path,
        async commit(input) {
          if (committed) throw new ServiceInputError("key", "is already committed");
          const file = await checkStaged(path, input, maxBytes);
          const key = newFileKey();
          await upload(key, await openAsBlob(path), file.contentType, file.fileName);
          committed = true;
          await rm(dir, { recursive: true, force: true });
          return { key, size: file.size };
        },
        async discard() {
          await rm(dir, { recursive: true, force: true });
        },
      };
    },

    async get(key) {
      const found = await download(key);
      if (!found) return null;
      const bytes = new Uint8Array(await found.response.arrayBuffer());
      return { key, bytes, size: bytes.byteLength, contentType: found.contentType, fileName: found.fileName };
    },

    async open(key) {
      const found = await download(key);
      if (!found) return null;
      const length = Number(found.response.headers.get("content-length") ?? Number.NaN);
      return {
        key,
        size: Number.isSafeInteger(length) ? length : null,
        contentType: found.contentType,
        fileName: found.fileName,
        body: found.response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
      };
    },

    async delete(key) {
      assertFileKey(key);
      try {
        await utapi.deleteFiles(key, { keyType: "customId" });
      } catch (error) {
        throw new ProviderError("uploadthing", "delete failed", { cause: error });
      }
    },

    async url(key) {
      assertFileKey(key);
      const signed = await utapi.generateSignedURL(key, { expiresIn: 60 * 10 });
      return signed.ufsUrl;
    },
  };
}
