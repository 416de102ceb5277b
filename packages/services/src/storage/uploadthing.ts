import { UTApi, UTFile } from "uploadthing/server";
import { z } from "zod";
import { inputErrorFrom, ProviderError, ServiceInputError } from "../errors.ts";
import { assertFileKey, cleanFileName, newFileKey, putFileSchema, type StorageService } from "./types.ts";

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

  return {
    provider: "uploadthing",

    async put(input) {
      const parsed = putFileSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const key = parsed.data.key ?? newFileKey();
      if (parsed.data.key) await this.delete(key);
      // `type` is a Blob option the bundled typings do not list (no DOM lib here), hence the variable.
      const fileOptions = { type: parsed.data.contentType, customId: key };
      const file = new UTFile([parsed.data.bytes], cleanFileName(parsed.data.fileName), fileOptions);
      const result = await utapi.uploadFiles(file, { contentDisposition: "attachment" });
      if (result.error) throw new ProviderError("uploadthing", `upload failed: ${result.error.message}`);
      return { key, size: parsed.data.bytes.byteLength };
    },

    async get(key) {
      assertFileKey(key);
      let response: Response;
      try {
        response = await fetch(`${filesBase}/f/${key}`);
      } catch (error) {
        throw new ProviderError("uploadthing", "download failed", { cause: error });
      }
      if (response.status === 404) return null;
      if (!response.ok)
        throw new ProviderError("uploadthing", `download failed with HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const disposition = response.headers.get("content-disposition") ?? "";
      const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
      return {
        key,
        bytes,
        size: bytes.byteLength,
        contentType: response.headers.get("content-type") ?? "application/octet-stream",
        fileName: name ? cleanFileName(decodeURIComponent(name)) : key,
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
