import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceInputError } from "../errors.ts";
import { createLocalDiskStorage } from "./local.ts";
import { FILE_KEY_PATTERN, type StorageService } from "./types.ts";

let dataDir: string;
let storage: StorageService;
const bytes = new TextEncoder().encode("solid cube\nendsolid cube\n");

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "ktizo-storage-"));
  storage = createLocalDiskStorage({ dataDir, maxBytes: 1024 });
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("local disk storage", () => {
  it("stores under a generated key, never the user's file name, and reads it back", async () => {
    const { key, size } = await storage.put({
      bytes,
      contentType: "model/stl",
      fileName: "../../etc/passwd.stl",
    });
    expect(key).toMatch(FILE_KEY_PATTERN);
    expect(size).toBe(bytes.byteLength);
    const files = await readdir(join(dataDir, "files"));
    expect(files.sort()).toEqual([key, `${key}.json`].sort());
    const file = await storage.get(key);
    expect(file).toMatchObject({
      key,
      size: bytes.byteLength,
      contentType: "model/stl",
      fileName: "passwd.stl",
    });
    expect(Buffer.from(file!.bytes).toString()).toBe("solid cube\nendsolid cube\n");
  });

  it("replaces a file under a key it issued, and deletes it", async () => {
    const { key } = await storage.put({ bytes, contentType: "model/stl", fileName: "a.stl" });
    await storage.put({
      key,
      bytes: new Uint8Array([1, 2, 3]),
      contentType: "application/octet-stream",
      fileName: "b.bin",
    });
    expect((await storage.get(key))?.size).toBe(3);
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it("answers null for an unknown key", async () => {
    expect(await storage.get("f_00000000000000000000000000")).toBeNull();
  });

  it.each([
    "../secret",
    "f_../../x",
    "F_00000000000000000000000000",
    "f_0000000000000000000000000/",
    "",
    "passwd",
  ])("refuses the key %j for get, delete and put", async (key) => {
    await expect(storage.get(key)).rejects.toBeInstanceOf(ServiceInputError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(ServiceInputError);
    await expect(storage.put({ key, bytes, contentType: "model/stl", fileName: "x.stl" })).rejects.toThrow(
      /key/,
    );
  });

  it("refuses bad content types and oversize files without writing", async () => {
    const before = (await readdir(join(dataDir, "files"))).length;
    await expect(storage.put({ bytes, contentType: "stl", fileName: "x.stl" })).rejects.toThrow(
      /contentType/,
    );
    await expect(
      storage.put({ bytes: new Uint8Array(2048), contentType: "model/stl", fileName: "big.stl" }),
    ).rejects.toThrow(/bytes/);
    expect((await readdir(join(dataDir, "files"))).length).toBe(before);
  });

  it("stores a stream chunk by chunk and opens a file as a stream", async () => {
    async function* chunks() {
      for (let i = 0; i < 4; i++) yield new Uint8Array(100).fill(65 + i);
    }
    const { key, size } = await storage.putStream({
      body: chunks(),
      contentType: "application/zip",
      fileName: "a.zip",
    });
    expect(size).toBe(400);
    const file = await storage.open(key);
    expect(file).toMatchObject({ key, size: 400, contentType: "application/zip", fileName: "a.zip" });
    const read = Buffer.from(await new Response(file!.body).arrayBuffer());
    expect(read.toString()).toBe(["A", "B", "C", "D"].map((c) => c.repeat(100)).join(""));
    expect(await storage.open("f_00000000000000000000000000")).toBeNull();
  });

  it("refuses a stream past the size limit while it arrives, and stores nothing", async () => {
    const before = (await readdir(join(dataDir, "files"))).length;
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(256);
      }
    }
    await expect(
      storage.putStream({ body: endless(), contentType: "application/zip", fileName: "big.zip" }),
    ).rejects.toThrow(/bytes/);
    // It stopped reading just past 1024 bytes, instead of buffering the whole (endless) input.
    expect(pulled).toBeLessThan(20);
    expect((await readdir(join(dataDir, "files"))).length).toBe(before);
  });

  it("stages a file in place: written once, stored by a rename on commit, or discarded", async () => {
    const before = await readdir(join(dataDir, "files"));
    const staged = await storage.stage();
    // The staging file sits beside the stored files (a rename away), under no issued key.
    expect(dirname(staged.path)).toBe(join(dataDir, "files"));
    await writeFile(staged.path, bytes);
    const { key, size } = await staged.commit({ contentType: "model/stl", fileName: "a/cube.stl" });
    expect(size).toBe(bytes.byteLength);
    expect(existsSync(staged.path)).toBe(false);
    expect(await storage.get(key)).toMatchObject({
      key,
      size,
      contentType: "model/stl",
      fileName: "cube.stl",
    });
    await staged.discard(); // after a commit: nothing happens
    expect(await storage.get(key)).not.toBeNull();
    await storage.delete(key);

    const refused = await storage.stage();
    await writeFile(refused.path, new Uint8Array(2048));
    await expect(refused.commit({ contentType: "model/stl", fileName: "big.stl" })).rejects.toThrow(/bytes/);
    await expect(refused.commit({ contentType: "not a type", fileName: "x.stl" })).rejects.toBeInstanceOf(
      ServiceInputError,
    );
    await refused.discard();
    const abandoned = await storage.stage();
    await abandoned.discard();
    expect((await readdir(join(dataDir, "files"))).sort()).toEqual(before.sort());
  });
});
