import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS } from "./corpus.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CLI = resolve(ROOT, "packages/quote/src/cli.ts");
const TSX = resolve(ROOT, "node_modules/.bin/tsx");

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(TSX, [CLI, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("pnpm quote (CLI)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quote-cli-"));
    await writeFile(
      join(dir, "pricing.json"),
      JSON.stringify({
        currency: "EUR",
        material: { unit: "gram", priceMinor: 5 },
        machineHourlyMinor: 300,
        setupFeePerOrderMinor: 500,
        minimumOrderMinor: 1500,
        quantityTiers: [{ minQuantity: 10, discountPercent: 10 }],
        markupPercent: 20,
        taxRatePercent: 19,
        process: { technology: "fdm" },
      }),
    );
    await writeFile(join(dir, "bad.stl"), "solid x\nfacet normal 0 0 1\n outer loop\n vertex 0 0 nan\n");
    await writeFile(join(dir, "bad-pricing.json"), JSON.stringify({ currency: "euro" }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("analyze --json prints the analysis", async () => {
    const r = await run(["analyze", join(CORPUS, "stl/trimesh_unit_sphere.STL"), "--json"]);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.triangles).toBe(1280);
    expect(a.watertight).toBe(true);
  }, 30_000);

  it("price prints a breakdown that sums to the total", async () => {
    const r = await run([
      "price",
      join(CORPUS, "stl/trimesh_20mm-xyz-cube.stl"),
      "--pricing",
      join(dir, "pricing.json"),
      "--quantity",
      "12",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const { quote } = JSON.parse(r.stdout);
    expect(quote.lines.reduce((s: number, l: { amountMinor: number }) => s + l.amountMinor, 0)).toBe(
      quote.totalMinor,
    );
    expect(quote.lines.map((l: { code: string }) => l.code)).toContain("quantity_discount");
    const text = await run([
      "price",
      join(CORPUS, "stl/trimesh_20mm-xyz-cube.stl"),
      "--pricing",
      join(dir, "pricing.json"),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Total\s+[\d.]+ EUR/);
  }, 30_000);

  it("bad input: exit code 2 and { error: { code, message } } on stdout with --json", async () => {
    const r = await run(["analyze", join(dir, "bad.stl"), "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: "NON_FINITE_COORDINATE", message: expect.any(String) },
    });
    const p = await run([
      "price",
      join(CORPUS, "stl/trimesh_unit_cube.STL"),
      "--pricing",
      join(dir, "bad-pricing.json"),
      "--json",
    ]);
    expect(p.code).toBe(2);
    expect(JSON.parse(p.stdout).error.code).toBe("INVALID_PRICING");
    const m = await run([
      "analyze",
      join(CORPUS, "3mf/conformance_3mf-samples/MUSTFAIL_Chapter2.3.2b_DataTypeDefinitionInXMLMarkup.3mf"),
    ]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/XML_DTD_FORBIDDEN/);
  }, 30_000);
});
