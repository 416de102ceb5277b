import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { receiveFiles, UploadTooLargeError } from "./model-uploads.ts";

function multipart(parts: Array<{ name: string; file?: string; bytes: Uint8Array<ArrayBuffer> | string }>) {
  const form = new FormData();
  for (const part of parts) {
    if (part.file) form.append(part.name, new Blob([part.bytes]), part.file);
    else form.append(part.name, String(part.bytes));
  }
  return new Request("http://localhost/quote/upload", { method: "POST", body: form });
}

const uploadDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith("ktizo-upload-"));

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
      { field: "file", maxBytes: 1_000_000 },
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
      }),
    ).rejects.toBeInstanceOf(UploadTooLargeError);
    expect(uploadDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it("skips empty file parts", async () => {
    const received = await receiveFiles(
      multipart([{ name: "file", file: "empty.stl", bytes: new Uint8Array(0) }]),
      {
        field: "file",
        maxBytes: 1000,
      },
    );
    expect(received.files).toEqual([]);
    await received.cleanup();
  });
});
