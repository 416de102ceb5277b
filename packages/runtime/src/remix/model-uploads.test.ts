import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createLocalDiskStorage } from "@ktizo/services";
import { afterAll, describe, expect, it } from "vitest";
import { receiveFiles, UploadTooLargeError } from "./model-uploads.ts";

function multipart(parts: Array<{ name: string; file?: string; bytes: Uint8Array<ArrayBuffer> | string }>) {
  const form = new FormData();
  for (const part of parts) {
    if (part.file) form.append(part.name, new Blob([part.bytes]), part.file);
    else form.append(part.name, String(part.bytes));
  }
  return new Request("http://localhost/quote/upload", { method: "POST", body: form });
}

// A folder of this file's own: other tests and benchmarks on the machine make upload folders too.
const tmpRoot = mkdtempSync(join(tmpdir(), "ktizo-upload-test-"));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
const uploadDirs = () => readdirSync(tmpRoot).filter((d) => d.startsWith("ktizo-upload-"));

describe("receiving model uploads", () => {
  it("streams each file to a temporary file with its size and SHA-256, keeps text fields, and cleans up", async () => {
    const a = new Uint8Array(300_000).map((_, i) => i % 251);
    const b = new TextEncoder().encode("solid x\nendsolid x\n");
    const before = new Set(uploadDirs());
    const received = await receiveFiles(
      multipart([
        { name: "session", bytes: "abc" },
        { name: "file", file: "a.stl", bytes: a },
        { name: "file", file: "b.stl", bytes: b },
      ]),
      { field: "file", maxBytes: 1_000_000, tmpRoot },
    );
    expect(received.fields.get("session")).toBe("abc");
    expect(received.files.map((f) => [f.fileName, f.size])).toEqual([
      ["a.stl", a.length],
      ["b.stl", b.length],
    ]);
    expect(received.files[0]!.sha256).toBe(createHash("sha256").update(a).digest("hex"));
    expect(new Uint8Array(readFileSync(received.files[0]!.path))).toEqual(a);
    await received.cleanup();
    expect(received.files.every((f) => !existsSync(f.path))).toBe(true);
    expect(uploadDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it("refuses a file the moment it passes the limit, and leaves nothing on disk", async () => {
    const before = new Set(uploadDirs());
    await expect(
      receiveFiles(multipart([{ name: "file", file: "big.stl", bytes: new Uint8Array(2_000_000) }]), {
        field: "file",
        maxBytes: 1_000_000,
        tmpRoot,
      }),
    ).rejects.toBeInstanceOf(UploadTooLargeError);
    expect(uploadDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it("removes what it wrote when the body is cut off (an aborted upload) or is not multipart", async () => {
    const before = new Set(uploadDirs());
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(3_000_000)]), "a.stl");
    const whole = new Response(form);
    const contentType = whole.headers.get("content-type")!;
    const bytes = new Uint8Array(await whole.arrayBuffer());
    let at = 0;
    const cut = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= 1_500_000) return controller.error(new Error("the client went away"));
        controller.enqueue(bytes.slice(at, at + 65_536));
        at += 65_536;
      },
    });
    const request = new Request("http://localhost/quote/upload", {
      method: "POST",
      headers: { "content-type": contentType },
      body: cut,
      duplex: "half",
    } as RequestInit);
    await expect(receiveFiles(request, { field: "file", maxBytes: 10_000_000, tmpRoot })).rejects.toThrow(
      "the client went away",
    );
    const notMultipart = new Request("http://localhost/quote/upload", { method: "POST", body: "x=1" });
    await expect(receiveFiles(notMultipart, { field: "file", maxBytes: 1000, tmpRoot })).rejects.toThrow(
      "not multipart",
    );
    expect(uploadDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it("never holds a copy of the file: at most a window of the body is in memory, the rest is on disk", async () => {
    // The body is made chunk by chunk as the reader asks for it; at each ask, what was handed over but
    // is not on disk yet is all the web process can be holding of the file.
    const size = 16 * 1048576;
    const chunk = new Uint8Array(65_536).map((_, i) => (i * 13) & 255);
    const boundary = "----ktizo-window-test";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.stl"\r\n\r\n`,
    );
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
    const before = new Set(uploadDirs());
    let handed = 0;
    let maxHeld = 0;
    let file: string | null = null;
    const onDisk = () => {
      if (!file) {
        const dir = uploadDirs().find((d) => !before.has(d));
        if (dir) file = join(tmpRoot, dir, "1");
      }
      return file && existsSync(file) ? statSync(file).size : 0;
    };
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          maxHeld = Math.max(maxHeld, handed - onDisk());
          if (handed === 0) controller.enqueue(head);
          if (handed >= size) {
            controller.enqueue(tail);
            return controller.close();
          }
          // A fresh buffer each time, as a socket delivers them.
          controller.enqueue(chunk.slice());
          handed += chunk.length;
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request("http://localhost/quote/upload", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    const received = await receiveFiles(request, { field: "file", maxBytes: size, tmpRoot });
    expect(received.files.map((f) => f.size)).toEqual([size]);
    expect(handed).toBe(size);
    // At most the disk write window (1 MB) and a chunk or two of a 16 MB file was ever off disk and in
    // memory at once, however slow the disk (a loaded machine): never the file.
    expect(maxHeld).toBeLessThan(2 * 1048576);
    await received.cleanup();
  });

  it("with storage, writes each file once into storage's staging place: committed, or gone", async () => {
    const dataDir = mkdtempSync(join(tmpRoot, "data-"));
    const storage = createLocalDiskStorage({ dataDir });
    const stored = () => readdirSync(join(dataDir, "files"));
    const a = new Uint8Array(200_000).map((_, i) => i % 241);
    const kept = await receiveFiles(multipart([{ name: "file", file: "a.stl", bytes: a }]), {
      field: "file",
      maxBytes: 1_000_000,
      storage,
    });
    const file = kept.files[0]!;
    expect(dirname(file.path)).toBe(join(dataDir, "files"));
    expect(file.sha256).toBe(createHash("sha256").update(a).digest("hex"));
    const { key } = await file.commit!({ contentType: "model/stl", fileName: file.fileName });
    await kept.cleanup();
    expect(new Uint8Array((await storage.get(key))!.bytes)).toEqual(a);
    expect(stored().sort()).toEqual([key, `${key}.json`].sort());

    // Received but not accepted (the analysis refused it): cleanup leaves nothing behind.
    const refused = await receiveFiles(multipart([{ name: "file", file: "b.stl", bytes: a }]), {
      field: "file",
      maxBytes: 1_000_000,
      storage,
    });
    await refused.cleanup();
    // Too large while it streams: nothing behind either.
    await expect(
      receiveFiles(multipart([{ name: "file", file: "c.stl", bytes: a }]), {
        field: "file",
        maxBytes: 100_000,
        storage,
      }),
    ).rejects.toBeInstanceOf(UploadTooLargeError);
    expect(stored().sort()).toEqual([key, `${key}.json`].sort());
  });

  it("skips empty file parts", async () => {
    const received = await receiveFiles(
      multipart([{ name: "file", file: "empty.stl", bytes: new Uint8Array(0) }]),
      {
        field: "file",
        maxBytes: 1000,
        tmpRoot,
      },
    );
    expect(received.files).toEqual([]);
    await received.cleanup();
  });
});
