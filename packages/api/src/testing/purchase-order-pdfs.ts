import { deflateSync } from "node:zlib";
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";

/**
 * The purchase-order PDFs of the tests (issue 13), generated from the text purchase orders in
 * packages/services/src/ai/purchase-orders/ and committed beside them (pdf/), so the intake reads real
 * PDFs: `pnpm --filter @ktizo/api exec tsx scripts/purchase-order-pdfs.ts` writes them again.
 * Each file gets its own layout (font, size, margins, letterhead band, footer), as shops' ERPs differ.
 */

const LAYOUTS = [
  { font: StandardFonts.Courier, size: 9, margin: 40, band: true },
  { font: StandardFonts.Helvetica, size: 10, margin: 56, band: false },
  { font: StandardFonts.TimesRoman, size: 11, margin: 72, band: false },
  { font: StandardFonts.Courier, size: 8.5, margin: 36, band: false },
  { font: StandardFonts.Helvetica, size: 9.5, margin: 48, band: true },
] as const;

/** Characters the standard PDF fonts (WinAnsi) have; others are dropped (the Japanese title of 05). */
function winAnsi(line: string): string {
  return line
    .replace(/\t/g, "    ")
    .replace(/[^\x20-\x7e\u00a0-\u00ff€–—‘’“”•…·]/g, "")
    .replace(/^\s*\/\s*/, "");
}

/** A text-layer PDF of the purchase order's text, one drawn line per text line, on as many pages as needed. */
export async function purchaseOrderPdf(text: string, layoutIndex: number): Promise<Uint8Array> {
  const layout = LAYOUTS[layoutIndex % LAYOUTS.length] ?? LAYOUTS[0];
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date("2026-01-01T00:00:00Z"));
  doc.setModificationDate(new Date("2026-01-01T00:00:00Z"));
  doc.setProducer("Ktizo test fixtures");
  const font = await doc.embedFont(layout.font);
  const lineHeight = layout.size * 1.45;
  let page = doc.addPage([595.28, 841.89]);
  let y = 841.89 - layout.margin;
  if (layout.band) {
    page.drawRectangle({ x: 0, y: 841.89 - 28, width: 595.28, height: 28, color: rgb(0.15, 0.3, 0.55) });
    y -= 24;
  }
  const width = 595.28 - 2 * layout.margin;
  const wrapped = text.split(/\r?\n/).flatMap((raw) => {
    const out: string[] = [];
    let line = "";
    for (const word of winAnsi(raw).split(/(?<= )/)) {
      if (line && font.widthOfTextAtSize(line + word, layout.size) > width) {
        out.push(line.trimEnd());
        line = "";
      }
      line += word;
    }
    out.push(line);
    return out;
  });
  for (const line of wrapped) {
    if (y < layout.margin + lineHeight) {
      page = doc.addPage([595.28, 841.89]);
      y = 841.89 - layout.margin;
    }
    if (line.trim())
      page.drawText(line, { x: layout.margin, y, size: layout.size, font, color: rgb(0.1, 0.1, 0.1) });
    y -= lineHeight;
  }
  return doc.save({ useObjectStreams: false });
}

/** A grey PNG with dark bars where lines of print would be: what a scanner makes, with no text at all. */
function scannedPng(width: number, height: number): Uint8Array {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width);
    const inLine = y > 40 && y % 18 < 7 && y < height - 60;
    for (let x = 0; x < width; x += 1) {
      const speckle = (x * 7 + y * 13) % 23 === 0 ? 40 : 0;
      const ink = inLine && x > 30 && x < width - 30 - ((y * 31) % 120);
      row[1 + x] = ink ? 60 + speckle : 235 - speckle;
    }
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A "scanned" purchase order: one page holding only an image, no text layer (no OCR is attempted). */
export async function scannedPurchaseOrderPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date("2026-01-01T00:00:00Z"));
  doc.setModificationDate(new Date("2026-01-01T00:00:00Z"));
  doc.setProducer("Ktizo test fixtures (scanner)");
  const image = await doc.embedPng(scannedPng(420, 594));
  const page = doc.addPage([595.28, 841.89]);
  page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  return doc.save({ useObjectStreams: false });
}
