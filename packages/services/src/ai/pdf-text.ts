import { getDocumentProxy } from "unpdf";

/** Bounds for a purchase-order PDF: larger files or longer documents are not purchase orders we read. */
export const PDF_LIMITS = { maxBytes: 10 * 1024 * 1024, maxPages: 30, maxChars: 50_000 } as const;

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/**
 * The text of every page, line by line as it is laid out: items on the same baseline are one line, in
 * x order, and a wide gap between them (a table column) becomes a run of spaces, so tables keep their
 * columns for the purchase-order reader.
 */
async function layoutText(pdf: PdfDocument): Promise<string> {
  const pages: string[] = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    const lines = new Map<number, Array<{ x: number; end: number; text: string; size: number }>>();
    for (const item of content.items) {
      if (!("str" in item) || item.str === "") continue;
      const [a = 0, b = 0, , , x = 0, y = 0] = item.transform as number[];
      const size = Math.hypot(a, b) || 10;
      const key = Math.round(y / 2) * 2;
      const line = lines.get(key) ?? [];
      line.push({ x, end: x + item.width, text: item.str, size });
      lines.set(key, line);
    }
    const text = [...lines.entries()]
      .sort(([y1], [y2]) => y2 - y1)
      .map(([, items]) => {
        items.sort((p, q) => p.x - q.x);
        // The line's own average character width: a gap (or a whitespace item) of two or more of them
        // is a column break, kept as a run of spaces.
        const inked = items.filter((i) => i.text.trim() !== "");
        const chars = inked.reduce((n, i) => n + i.text.length, 0);
        const charWidth = chars > 0 ? inked.reduce((w, i) => w + (i.end - i.x), 0) / chars : 5;
        const spaces = (width: number) => " ".repeat(Math.max(1, Math.round(width / charWidth)));
        let out = "";
        let end: number | null = null;
        for (const item of items) {
          if (end !== null && item.x - end > charWidth * 0.5) out += spaces(item.x - end);
          out += item.text.trim() === "" ? spaces(item.end - item.x) : item.text;
          end = item.end;
        }
        return out.trimEnd();
      });
    pages.push(text.join("\n"));
  }
  return pages.join("\n\n");
}

export type PdfTextResult =
  | { ok: true; text: string; pages: number }
  | { ok: false; reason: "too-large" | "not-a-pdf" | "no-text-layer" | "unreadable"; message: string };

/**
 * The text layer of a PDF (unpdf, PDF.js underneath), bounded in bytes, pages and characters. A PDF
 * with no text layer (a scan) says so: Ktizo does no OCR, so it never guesses what an image says.
 */
export async function extractPdfText(bytes: Uint8Array): Promise<PdfTextResult> {
  if (bytes.byteLength > PDF_LIMITS.maxBytes)
    return {
      ok: false,
      reason: "too-large",
      message: "The PDF is larger than 10 MB; it cannot be read here.",
    };
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "%PDF-")
    return { ok: false, reason: "not-a-pdf", message: "The attachment is not a PDF." };
  try {
    // A copy: PDF.js transfers (detaches) the buffer it is given.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    try {
      if (pdf.numPages > PDF_LIMITS.maxPages)
        return {
          ok: false,
          reason: "too-large",
          message: `The PDF has ${pdf.numPages} pages; purchase orders of more than ${PDF_LIMITS.maxPages} pages are not read.`,
        };
      const text = await layoutText(pdf);
      const clean = text.split(String.fromCharCode(0)).join("").trim();
      if (clean.replace(/\s+/g, "").length < 10)
        return {
          ok: false,
          reason: "no-text-layer",
          message:
            "This PDF has no text layer (it looks scanned), so it cannot be read. Ktizo does not guess text from images: type the job in by hand.",
        };
      return { ok: true, text: clean.slice(0, PDF_LIMITS.maxChars), pages: pdf.numPages };
    } finally {
      await pdf.cleanup();
    }
  } catch {
    return {
      ok: false,
      reason: "unreadable",
      message: "The PDF is damaged or encrypted and cannot be read.",
    };
  }
}
