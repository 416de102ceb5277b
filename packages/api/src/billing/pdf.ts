import type { BillingParty } from "@ktizo/db";
import type { StorageService } from "@ktizo/services";
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import type { Executor } from "../kernel/index.ts";
import { INVOICE_STATUS_LABELS } from "./balance.ts";
import type { invoiceView } from "./invoice-views.ts";
import { formatAmount } from "./money.ts";
import { lineAmount } from "./totals.ts";

type InvoiceView = Awaited<ReturnType<typeof invoiceView>>;

export interface PdfLogo {
  bytes: Uint8Array;
  contentType: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const GREY = rgb(0.4, 0.4, 0.4);

/**
 * The standard PDF fonts only know Windows-1252; anything else (a name in Cyrillic, an emoji) is
 * printed as "?" instead of failing the whole document.
 */
function printable(font: PDFFont, text: string): string {
  let out = "";
  for (const ch of text.replace(/[\r\n\t]+/g, " ")) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += "?";
    }
  }
  return out;
}

/** Cuts text to fit `width` (with "…" when cut). */
function fit(font: PDFFont, size: number, text: string, width: number): string {
  let t = printable(font, text);
  if (font.widthOfTextAtSize(t, size) <= width) return t;
  while (t.length > 1 && font.widthOfTextAtSize(`${t}...`, size) > width) t = t.slice(0, -1);
  return `${t}...`;
}

/** An invoice or credit note as a PDF (A4), made with pdf-lib from the stored record only. */
export async function renderInvoicePdf(
  invoice: InvoiceView,
  logo: PdfLogo | null = null,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const title = `${invoice.kind === "credit_note" ? "Credit note" : "Invoice"} ${invoice.number ?? "(draft)"}`;
  pdf.setTitle(title);
  pdf.setCreator("Ktizo");
  pdf.setProducer("Ktizo (pdf-lib)");
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const money = (minor: number) => printable(regular, formatAmount(minor, invoice.currency));
  const text = (
    s: string,
    x: number,
    opts: {
      size?: number;
      font?: PDFFont;
      color?: ReturnType<typeof rgb>;
      right?: boolean;
      width?: number;
    } = {},
  ) => {
    const size = opts.size ?? 10;
    const font = opts.font ?? regular;
    const t = fit(font, size, s, opts.width ?? A4[0] - MARGIN - x);
    const dx = opts.right ? font.widthOfTextAtSize(t, size) : 0;
    page.drawText(t, { x: x - dx, y, size, font, color: opts.color ?? rgb(0, 0, 0) });
  };
  const newLine = (h = 14) => {
    y -= h;
    if (y < MARGIN + 40) {
      page = pdf.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };

  if (logo) {
    try {
      const image =
        logo.contentType === "image/png" ? await pdf.embedPng(logo.bytes) : await pdf.embedJpg(logo.bytes);
      const scale = Math.min(120 / image.width, 48 / image.height, 1);
      page.drawImage(image, {
        x: A4[0] - MARGIN - image.width * scale,
        y: y - image.height * scale + 12,
        width: image.width * scale,
        height: image.height * scale,
      });
    } catch {
      // A logo the library cannot read (GIF, WebP, damaged) is left out rather than failing the invoice.
    }
  }
  text(title, MARGIN, { size: 20, font: bold, width: 330 });
  newLine(22);
  if (invoice.status === "void") {
    text(`VOID: ${invoice.voidReason ?? ""}`, MARGIN, { size: 12, font: bold, color: rgb(0.7, 0, 0) });
    newLine(18);
  }
  const party = (label: string, p: BillingParty | null, x: number, top: number) => {
    y = top;
    text(label, x, { size: 9, color: GREY, width: 240 });
    newLine(13);
    if (!p) return y;
    for (const l of [
      p.name,
      p.company,
      ...p.addressLines,
      p.country,
      p.taxId ? `Tax ID ${p.taxId}` : null,
      p.phone,
    ]) {
      if (!l) continue;
      text(l, x, { width: 240, font: l === p.name ? bold : regular });
      newLine(13);
    }
    return y;
  };
  const top = y;
  const afterSeller = party("From", invoice.seller, MARGIN, top);
  const afterBuyer = party("Bill to", invoice.buyer, 320, top);
  y = Math.min(afterSeller, afterBuyer) - 8;
  const facts: [string, string][] = [
    ["Issue date", invoice.issueDate ?? "-"],
    [
      invoice.kind === "credit_note" ? "Credits" : "Due date",
      invoice.kind === "credit_note" ? "" : (invoice.dueDate ?? "-"),
    ],
    ["Status", INVOICE_STATUS_LABELS[invoice.displayStatus]],
  ];
  for (const [k, v] of facts) {
    if (!v) continue;
    text(k, MARGIN, { color: GREY });
    text(v, MARGIN + 90);
    newLine();
  }
  newLine(8);

  const cols = { desc: MARGIN, qty: 330, unit: 400, tax: 455, amount: A4[0] - MARGIN };
  text("Description", cols.desc, { font: bold, width: 270 });
  text("Qty", cols.qty, { font: bold, right: true });
  text("Unit", cols.unit, { font: bold, right: true });
  text("Tax", cols.tax, { font: bold, right: true });
  text("Amount", cols.amount, { font: bold, right: true });
  newLine(6);
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5, color: GREY });
  newLine(12);
  for (const l of invoice.lines) {
    const discount = l.discountBps ? ` (−${l.discountBps / 100} %)` : "";
    text(`${l.description}${discount}`, cols.desc, { width: 260 });
    text(String(l.quantity), cols.qty, { right: true });
    text(money(l.unitPriceMinor), cols.unit, { right: true });
    text(l.taxRateBps ? `${l.taxRateBps / 100} %${l.taxInclusive ? " incl." : ""}` : "-", cols.tax, {
      right: true,
    });
    text(money(lineAmount(l)), cols.amount, { right: true });
    newLine();
  }
  newLine(4);
  page.drawLine({
    start: { x: 300, y: y + 8 },
    end: { x: A4[0] - MARGIN, y: y + 8 },
    thickness: 0.5,
    color: GREY,
  });
  const t = invoice.totals;
  const sums: [string, number, boolean?][] = [["Subtotal", t.subtotalMinor]];
  if (t.discountMinor) sums.push(["Discount", -t.discountMinor]);
  if (t.shippingMinor) sums.push(["Shipping", t.shippingMinor]);
  for (const tax of t.taxes) sums.push([`${tax.name}${tax.inclusive ? " (included)" : ""}`, tax.taxMinor]);
  sums.push(["Total", t.totalMinor, true]);
  if (invoice.kind === "invoice") {
    if (invoice.balance.creditedMinor) sums.push(["Credited", -invoice.balance.creditedMinor]);
    if (invoice.balance.paidMinor) sums.push(["Paid", -invoice.balance.paidMinor]);
    if (invoice.balance.refundedMinor) sums.push(["Refunded", invoice.balance.refundedMinor]);
    sums.push(["Balance due", invoice.balance.dueMinor, true]);
  }
  for (const [label, minor, strong] of sums) {
    text(label, 310, { font: strong ? bold : regular, width: 150 });
    text(money(minor), cols.amount, { right: true, font: strong ? bold : regular });
    newLine();
  }
  if (invoice.notes) {
    newLine(6);
    text(invoice.notes, MARGIN, { color: GREY });
    newLine();
  }
  return pdf.save();
}

/** The PDF of one of the shop's invoices, with the shop's logo when it still has one. */
export async function invoicePdfFile(
  db: Executor,
  storage: Pick<StorageService, "get">,
  invoice: InvoiceView,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  let logo: PdfLogo | null = null;
  const logoId = invoice.seller?.logoId;
  if (logoId) {
    const s = await db
      .selectFrom("shopSettings")
      .select(["logoStorageKey", "logoContentType"])
      .where("logoId", "=", logoId)
      .executeTakeFirst();
    const file = s?.logoStorageKey ? await storage.get(s.logoStorageKey) : null;
    if (file && s?.logoContentType) logo = { bytes: file.bytes, contentType: s.logoContentType };
  }
  const name = invoice.number ?? `draft-${invoice.id.slice(-8)}`;
  return { fileName: `${name}.pdf`, bytes: await renderInvoicePdf(invoice, logo) };
}
