import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractPdfText } from "./pdf-text.ts";
import { readPurchaseOrder } from "./po-reader.ts";

const DIR = new URL("./purchase-orders/", import.meta.url);
const pdfs = readdirSync(new URL("pdf/", DIR))
  .filter((n) => n.endsWith(".pdf"))
  .sort();

describe("purchase-order PDFs (text layer read with unpdf)", () => {
  it("has at least ten readable purchase orders and one scan", () => {
    expect(pdfs.filter((n) => !n.includes("scanned")).length).toBeGreaterThanOrEqual(10);
    expect(pdfs.some((n) => n.includes("scanned"))).toBe(true);
  });

  for (const name of pdfs.filter((n) => !n.includes("scanned"))) {
    it(`${name}: the text comes back and the local reader finds the same items as in the text`, async () => {
      const result = await extractPdfText(new Uint8Array(readFileSync(new URL(`pdf/${name}`, DIR))));
      if (!result.ok) throw new Error(result.message);
      const source = readFileSync(new URL(name.replace(/\.pdf$/, ".txt"), DIR), "utf8");
      const fromText = readPurchaseOrder(source);
      const fromPdf = readPurchaseOrder(result.text);
      expect(fromPdf.poNumber).toBe(fromText.poNumber);
      expect(fromPdf.items.map((i) => [i.quantity, i.unitPriceMinor])).toEqual(
        fromText.items.map((i) => [i.quantity, i.unitPriceMinor]),
      );
      expect(fromPdf.currency).toBe(fromText.currency);
    });
  }

  it("a scanned PDF (an image, no text layer) says it cannot be read", async () => {
    const result = await extractPdfText(
      new Uint8Array(readFileSync(new URL("pdf/06-scanned-no-text.pdf", DIR))),
    );
    expect(result).toMatchObject({ ok: false, reason: "no-text-layer" });
    expect(result.ok ? "" : result.message).toMatch(/cannot be read/);
  });

  it("refuses what is not a PDF, or too large, before parsing", async () => {
    expect(await extractPdfText(new TextEncoder().encode("hello"))).toMatchObject({
      ok: false,
      reason: "not-a-pdf",
    });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(new TextEncoder().encode("%PDF-1.4"));
    expect(await extractPdfText(big)).toMatchObject({ ok: false, reason: "too-large" });
    expect(await extractPdfText(new TextEncoder().encode("%PDF-1.4 garbage"))).toMatchObject({
      ok: false,
      reason: "unreadable",
    });
  });
});
