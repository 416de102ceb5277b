import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readZip } from "./test-zip.ts";
import { createZip } from "./zip.ts";

describe("createZip", () => {
  const entries = [
    { name: "export.json", bytes: new TextEncoder().encode(JSON.stringify({ a: "x".repeat(500) })) },
    { name: "tables/user.json", bytes: new TextEncoder().encode("[]") },
    { name: "files/model_upload/1-Würfel.stl", bytes: new Uint8Array([0, 1, 2, 3, 255]) },
  ];

  it("round-trips every entry, compressed where that helps", () => {
    const zip = createZip(entries, new Date("2026-05-01T10:20:30Z"));
    const read = readZip(zip);
    expect([...read.keys()]).toEqual(entries.map((e) => e.name));
    for (const e of entries) expect(new Uint8Array(read.get(e.name) ?? [])).toEqual(e.bytes);
    expect(zip.length).toBeLessThan(entries.reduce((n, e) => n + e.bytes.length, 0) + 400);
  });

  it("is accepted by the system unzip tool, checksums included", () => {
    const dir = mkdtempSync(join(tmpdir(), "ktizo-zip-"));
    const file = join(dir, "export.zip");
    writeFileSync(file, createZip(entries, new Date("2026-05-01T10:20:30Z")));
    const report = execFileSync("unzip", ["-t", file]).toString();
    expect(report).toContain("No errors detected");
    expect(report).toContain("tables/user.json");
  });
});
