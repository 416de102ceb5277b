// Writes the purchase-order PDF fixtures (issue 13) next to the text purchase orders they are made from.
// Run: pnpm --filter @ktizo/api exec tsx scripts/purchase-order-pdfs.ts
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { purchaseOrderPdf, scannedPurchaseOrderPdf } from "../src/testing/purchase-order-pdfs.ts";

const dir = new URL("../../services/src/ai/purchase-orders/", import.meta.url);
const out = new URL("pdf/", dir);
mkdirSync(out, { recursive: true });
const texts = readdirSync(dir)
  .filter((name) => name.endsWith(".txt"))
  .sort();
for (const [index, name] of texts.entries()) {
  const pdfName = name.replace(/\.txt$/, ".pdf");
  const bytes = name.includes("scanned")
    ? await scannedPurchaseOrderPdf()
    : await purchaseOrderPdf(readFileSync(new URL(name, dir), "utf8"), index);
  writeFileSync(new URL(pdfName, out), bytes);
  process.stdout.write(`${pdfName} ${bytes.byteLength} bytes\n`);
}
