import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { analyzeFile, createAnalysisPool } from "@ktizo/quote/node";
import { createLocalDiskStorage } from "@ktizo/services";
import { afterAll, describe, expect, it } from "vitest";
import { sphereStl } from "../testing/models.ts";
import { receiveFiles, UploadTooLargeError } from "./model-uploads.ts";

function multipart(parts: Array<{ name: string; file?: string; bytes: Uint8Array<ArrayBuffer> | string }>) {
  const form = new FormData();
  for (const part of parts) {
    if (part.file) form.append(part.name, new Blob([part.bytes]), part.file);
    else form.append(part.name, String(part.bytes));
  }
  return new Request("http://localhost/quote/upload", { method: "POST", body: form });
}

/** The same upload, its body cut off after 1.5 MB (the client went away). */
async function cutOff(whole: Request): Promise<Request> {
  const bytes = new Uint8Array(await whole.arrayBuffer());
  let at = 0;
  const cut = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= 1_500_000) return controller.error(new Error("the client went away"));
      controller.enqueue(bytes.slice(at, at + 65_536));
      at += 65_536;
    },
  });
  return new Request(whole.url, {
    method: "POST",
    headers: { "content-type": whole.headers.get("content-type")! },
    body: cut,
    duplex: "half",
  } as RequestInit);
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
    const request = await cutOff(
      multipart([{ name: "file", file: "a.stl", bytes: new Uint8Array(3_000_000) }]),
    );
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

describe("analysing model uploads while they arrive", () => {
  const pool = createAnalysisPool({ size: 1 });
  afterAll(() => pool.close());
  const sphere = sphereStl(3 * 1048576);

  it("gives each file the analysis of its stored bytes, read as it arrived", async () => {
    const dataDir = mkdtempSync(join(tmpRoot, "data-"));
    const storage = createLocalDiskStorage({ dataDir });
    const cube = new TextEncoder().encode(
      "solid c\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid c\n",
    );
    const before = pool.stats.streamed;
    const received = await receiveFiles(
      multipart([
        { name: "file", file: "sphere.stl", bytes: sphere },
        { name: "file", file: "text.stl", bytes: cube },
      ]),
      { field: "file", maxBytes: 10_000_000, storage, analyze: () => pool.stream() },
    );
    const [a, b] = received.files;
    expect(await a!.analysis!()).toEqual(await analyzeFile(a!.path));
    expect(await b!.analysis!()).toEqual(await analyzeFile(b!.path));
    // hashed by the worker that read it (the binary STL), or as it was written (the text)
    expect(a!.sha256).toBe(createHash("sha256").update(sphere).digest("hex"));
    expect(b!.sha256).toBe(createHash("sha256").update(cube).digest("hex"));
    // the binary STL was read by the worker while it arrived; the ASCII one from its file
    expect(pool.stats.streamed).toBe(before + 1);
    await received.cleanup();
    expect(pool.pending).toBe(0);
  });

  it("a refused or cut-off upload drops its analysis and leaves no staged file", async () => {
    const dataDir = mkdtempSync(join(tmpRoot, "data-"));
    const storage = createLocalDiskStorage({ dataDir });
    const opened: Array<{ aborted: boolean }> = [];
    const analyze = () => {
      const stream = pool.stream();
      const seen = { aborted: false };
      opened.push(seen);
      return {
        write: (chunk: Uint8Array) => stream.write(chunk),
        end: (path: string) => stream.end(path),
        abort: () => {
          seen.aborted = true;
          stream.abort();
        },
      };
    };
    // 413: over the limit while it streams
    await expect(
      receiveFiles(multipart([{ name: "file", file: "big.stl", bytes: sphere }]), {
        field: "file",
        maxBytes: 2 * 1048576,
        storage,
        analyze,
      }),
    ).rejects.toBeInstanceOf(UploadTooLargeError);
    // the client goes away half-way
    const cut = await cutOff(multipart([{ name: "file", file: "cut.stl", bytes: sphere }]));
    await expect(
      receiveFiles(cut, { field: "file", maxBytes: 10_000_000, storage, analyze }),
    ).rejects.toThrow("the client went away");
    // received, then refused by the route before its analysis was asked for
    const refused = await receiveFiles(multipart([{ name: "file", file: "r.stl", bytes: sphere }]), {
      field: "file",
      maxBytes: 10_000_000,
      storage,
      analyze,
    });
    await refused.cleanup();
    expect(opened).toEqual([{ aborted: true }, { aborted: true }, { aborted: true }]);
    expect(pool.pending).toBe(0);
    expect(readdirSync(join(dataDir, "files"))).toEqual([]);
  });

  it("a slow analysis slows the reading of the body: it never holds the file", async () => {
    // The body is made as the reader asks; the analysis takes a piece only when let through.
    const size = 8 * 1048576;
    const boundary = "----ktizo-slow-analysis";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.stl"\r\n\r\n`,
    );
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
    let handed = 0;
    let analysed = 0;
    let maxAhead = 0;
    let release: (() => void) | null = null;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          maxAhead = Math.max(maxAhead, handed - analysed);
          if (handed === 0) controller.enqueue(head);
          if (handed >= size) {
            controller.enqueue(tail);
            return controller.close();
          }
          controller.enqueue(new Uint8Array(65_536).fill(7));
          handed += 65_536;
        },
      },
      { highWaterMark: 0 },
    );
    const analyze = () => ({
      // every fourth piece waits for the test to let it through, as a busy worker would
      write: (chunk: Uint8Array) =>
        new Promise<void>((resolve) => {
          analysed += chunk.length;
          if ((analysed / 65_536) % 4 !== 0) return resolve();
          release = resolve;
        }),
      end: async () => {
        throw new Error("not analysed");
      },
      abort: () => undefined,
    });
    const reading = receiveFiles(
      new Request("http://localhost/quote/upload", {
        method: "POST",
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: "half",
      } as RequestInit),
      { field: "file", maxBytes: size, tmpRoot, analyze },
    );
    let settled = false;
    reading.finally(() => {
      settled = true;
    });
    while (!settled) {
      await new Promise((r) => setImmediate(r));
      const go = release as (() => void) | null;
      release = null;
      go?.();
    }
    const received = await reading;
    expect(received.files.map((f) => f.size)).toEqual([size]);
    // the reading waited for the analysis each time: never more than a piece or two ahead of it
    expect(maxAhead).toBeLessThanOrEqual(2 * 65_536);
    await received.cleanup();
  });
});
