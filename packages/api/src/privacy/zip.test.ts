import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { zipStream } from "./zip.ts";

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* pieces(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe("zipStream", () => {
  const modified = new Date("2026-05-01T10:20:30Z");

  it("writes an archive the system unzip tool accepts, checksums and UTF-8 names included", async () => {
    const zip = await collect(
      zipStream(
        [
          { name: "export.json", body: pieces(JSON.stringify({ a: "x".repeat(5000) }), 700) },
          { name: "tables/user.json", body: new TextEncoder().encode("[]") },
          { name: "files/model_upload/1-Würfel.stl", body: new Uint8Array([0, 1, 2, 3, 255]) },
        ],
        modified,
      ),
    );
    const file = join(mkdtempSync(join(tmpdir(), "ktizo-zip-")), "export.zip");
    writeFileSync(file, zip);
    const report = execFileSync("unzip", ["-t", file]).toString();
    expect(report).toContain("No errors detected");
    expect(report).toContain("tables/user.json");
    // The entry's date is the export's (Debian's unzip prints non-ASCII names mangled, so not checked here).
    const listing = execFileSync("unzip", ["-l", file]).toString();
    expect(listing).toMatch(/2026-05-01 \d\d:\d\d {3}tables\/user\.json/);

    const read = unzipSync(zip);
    expect(Object.keys(read)).toEqual(["export.json", "tables/user.json", "files/model_upload/1-Würfel.stl"]);
    expect(JSON.parse(Buffer.from(read["export.json"]!).toString())).toEqual({ a: "x".repeat(5000) });
    expect([...read["files/model_upload/1-Würfel.stl"]!]).toEqual([0, 1, 2, 3, 255]);
    // Compressed where that helps: 5 KB of one letter shrinks to almost nothing.
    expect(zip.length).toBeLessThan(1000);
  });

  it("streams: output starts before the input is read to its end, and input is pulled on demand", async () => {
    let pulled = 0;
    async function* large() {
      // 64 MB if read whole; the consumer below stops long before.
      for (let i = 0; i < 1024; i++) {
        pulled++;
        const chunk = new Uint8Array(64 * 1024);
        for (let j = 0; j < chunk.length; j += 4096) chunk[j] = (i * 31 + j) & 0xff;
        yield chunk;
      }
    }
    const output = zipStream([{ name: "big.bin", body: large() }], modified);
    let received = 0;
    for await (const chunk of output) {
      received += chunk.length;
      if (received > 0 && pulled >= 8) break;
    }
    expect(received).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(16);
  });
});
