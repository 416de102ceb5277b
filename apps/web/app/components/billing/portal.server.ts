import { billing } from "@ktizo/api";
import { apiFor } from "@ktizo/runtime/remix";
import { errorCode } from "@ktizo/ui";
import type { AppLoadContext } from "@remix-run/node";

type Api = Awaited<ReturnType<typeof apiFor>>["api"];
type View = Awaited<ReturnType<Api["billing"]["portal"]["view"]>>;

/** Calls the portal API for a request; any link that opens nothing answers 404. */
export async function portalCall<T>(
  request: Request,
  context: AppLoadContext,
  call: (api: Api) => Promise<T>,
): Promise<T> {
  const { api } = await apiFor(request, context);
  try {
    return await call(api);
  } catch (error) {
    const code = errorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") {
      throw new Response("This link is not valid or has expired", { status: 404 });
    }
    throw error;
  }
}

interface PageLine {
  description: string;
  quantity: number;
  unitPriceMinor: number;
  discountBps: number;
}
interface PageTotals {
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  totalMinor: number;
  taxes: { name: string; inclusive: boolean; taxMinor: number }[];
}

/**
 * What the portal page shows, with every amount formatted on the server (billing's one money formatter)
 * and nothing the page does not print.
 */
export function portalPage(view: View) {
  if (view.type === "proof") {
    const p = view.proof;
    return {
      type: "proof" as const,
      shopName: view.shop.name,
      title: `Proof ${p.version} for ${p.jobTitle}`,
      status: p.status,
      fileName: p.fileName,
      viewKind: billing.proofViewKind(p.fileName, p.contentType),
      comment: p.comment,
      decidedName: p.decidedName,
      decidedAt: p.decidedAt,
    };
  }
  const currency = view.type === "estimate" ? view.estimate.currency : view.invoice.currency;
  const money = (minor: number) => billing.formatAmount(minor, currency);
  const lineRows = (lines: PageLine[]) =>
    lines.map((l) => ({
      description: l.discountBps ? `${l.description} (−${l.discountBps / 100} %)` : l.description,
      quantity: l.quantity,
      unit: money(l.unitPriceMinor),
    }));
  const totalRows = (t: PageTotals) => [
    { label: "Subtotal", value: money(t.subtotalMinor), strong: false },
    ...(t.discountMinor ? [{ label: "Discount", value: `−${money(t.discountMinor)}`, strong: false }] : []),
    ...(t.shippingMinor ? [{ label: "Shipping", value: money(t.shippingMinor), strong: false }] : []),
    ...t.taxes.map((x) => ({
      label: `${x.name}${x.inclusive ? " (included)" : ""}`,
      value: money(x.taxMinor),
      strong: false,
    })),
    { label: "Total", value: money(t.totalMinor), strong: true },
  ];
  if (view.type === "estimate") {
    const e = view.estimate;
    const depositDue = e.depositMinor - e.depositPaidMinor;
    return {
      type: "estimate" as const,
      shopName: view.shop.name,
      title: `Estimate for ${e.jobTitle}`,
      status: e.status,
      version: e.version,
      validUntil: e.validUntil,
      expired: e.expired,
      notes: e.notes,
      approvedName: e.approvedName,
      approvedAt: e.approvedAt,
      lines: lineRows(e.lines),
      totals: totalRows(e.totals),
      deposit: e.depositMinor > 0 ? money(e.depositMinor) : null,
      depositDue: depositDue > 0 ? money(depositDue) : null,
      depositPaid: e.depositPaidMinor > 0 ? money(e.depositPaidMinor) : null,
    };
  }
  const i = view.invoice;
  return {
    type: "invoice" as const,
    shopName: view.shop.name,
    title: `${i.kind === "credit_note" ? "Credit note" : "Invoice"} ${i.number ?? ""}`,
    kind: i.kind,
    status: billing.INVOICE_STATUS_LABELS[i.status],
    statusKey: i.status,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    notes: i.notes,
    voidReason: i.voidReason,
    lines: lineRows(i.lines),
    totals: totalRows(i.totals),
    due:
      i.balance.dueMinor > 0 && i.kind === "invoice" && i.status !== "void"
        ? money(i.balance.dueMinor)
        : null,
    payments: i.payments.map((p) => ({
      label: `${p.kind === "refund" ? "Refund" : "Payment"} · ${billing.PAYMENT_METHOD_LABELS[p.method]}`,
      value: `${p.kind === "refund" ? "−" : ""}${money(p.amountMinor)}`,
    })),
  };
}
