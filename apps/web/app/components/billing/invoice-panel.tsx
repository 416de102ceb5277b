import { Alert, Badge, Table, Td, Th } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { linkClass } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";
import { InvoiceActions, RefundForm, TERMS_LABELS, TermsFields } from "./invoice-forms";
import type { JobBillingData } from "./types";

type Invoice = JobBillingData["invoices"][number];

export const INVOICE_TONES = {
  draft: "slate",
  sent: "blue",
  viewed: "blue",
  partly_paid: "amber",
  paid: "green",
  overdue: "red",
  void: "slate",
} as const;

/**
 * Issuing, voiding or paying in full removes the form that did it (the invoice moved on): its success
 * message shows on the invoice instead.
 */
function GoneFormMessage({ inv, data }: { inv: Invoice; data: FormResult | undefined }) {
  if (!data?.ok || !data.message) return null;
  const [kind, id] = data.intent.split(":");
  if (id !== inv.id) return null;
  const gone =
    (kind === "invoiceIssue" && inv.status !== "draft") ||
    (kind === "invoiceVoid" && inv.status === "void") ||
    (kind === "paymentRecord" && inv.balance.dueMinor <= 0);
  return gone ? <Alert tone="success">{data.message}</Alert> : null;
}

/** The job's invoices and credit notes: create, issue and send, payments, corrections, the PDF. */
export function InvoicePanel({ billing, data }: { billing: JobBillingData; data: FormResult | undefined }) {
  const { money, day: date, dateTime } = useFormat();
  const approved = billing.estimate?.status === "approved" ? billing.estimate : null;
  const hasOpen = billing.invoices.some((i) => i.kind === "invoice" && i.status !== "void");
  // Once the draft exists the form that made it is gone: its message shows above the invoices.
  const created = hasOpen ? resultFor(data, "invoiceCreate")?.message : null;
  return (
    <div className="space-y-6">
      {created ? <Alert tone="success">{created}</Alert> : null}
      {billing.invoices.map((inv) => (
        <article key={inv.id} className="space-y-3 rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-700">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="text-sm font-semibold">
              {inv.kind === "credit_note" ? "Credit note" : "Invoice"} {inv.number ?? "(draft)"}
            </h3>
            <Badge tone={INVOICE_TONES[inv.displayStatus]}>{billing.statusLabels[inv.displayStatus]}</Badge>
          </div>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
            <dt className="text-slate-500 dark:text-slate-400">Total</dt>
            <dd className="tabular-nums">{money(inv.totalMinor, inv.currency)}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Balance due</dt>
            <dd className="tabular-nums" data-testid={`balance-${inv.number ?? "draft"}`}>
              {money(inv.balance.dueMinor, inv.currency)}
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Issued</dt>
            <dd>{inv.issueDate ? date(inv.issueDate) : "—"}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Due</dt>
            <dd>{inv.dueDate ? date(inv.dueDate) : "—"}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Terms</dt>
            <dd>{inv.terms === "custom" ? `${inv.termsDays} days` : TERMS_LABELS[inv.terms]}</dd>
          </dl>
          <GoneFormMessage inv={inv} data={data} />
          {inv.voidReason ? <p className="text-sm">Void: {inv.voidReason}</p> : null}
          {inv.payments.length ? (
            <Table caption={`Payments of ${inv.number ?? "the draft"}`}>
              <thead>
                <tr>
                  <Th>Received</Th>
                  <Th>Method</Th>
                  <Th>Reference</Th>
                  <Th className="text-right">Amount</Th>
                </tr>
              </thead>
              <tbody>
                {inv.payments.map((p) => (
                  <tr key={p.id}>
                    <Td>{p.receivedAt ? dateTime(p.receivedAt) : p.status}</Td>
                    <Td>
                      {billing.methodLabels[p.method]}
                      {p.isDeposit ? " (deposit)" : ""}
                      {p.kind === "refund" ? " (refund)" : ""}
                    </Td>
                    <Td>{p.reference ?? ""}</Td>
                    <Td className="text-right tabular-nums">
                      {p.kind === "refund" ? "−" : ""}
                      {money(p.amountMinor, inv.currency)}
                      {p.kind === "payment" && p.status === "succeeded" ? (
                        <RefundForm payment={p} inv={inv} data={data} />
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
          {inv.status !== "draft" ? (
            <a href={`/org/invoices/${inv.id}/pdf`} className={linkClass} download>
              Download PDF
            </a>
          ) : null}
          <InvoiceActions inv={inv} billing={billing} data={data} />
        </article>
      ))}
      {hasOpen ? null : (
        <FormBody intent="invoiceCreate" data={data} submit="Create draft invoice">
          {approved ? <input type="hidden" name="estimateId" value={approved.id} /> : null}
          <TermsFields
            terms={
              billing.defaultTermsDays === 0
                ? "due_on_receipt"
                : billing.defaultTermsDays === 15
                  ? "net_15"
                  : billing.defaultTermsDays === 30
                    ? "net_30"
                    : "custom"
            }
            termsDays={billing.defaultTermsDays}
            errors={resultFor(data, "invoiceCreate")?.fieldErrors ?? {}}
          />
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {approved
              ? `From the approved estimate (version ${approved.approvedVersion}, ${money(approved.current.totalMinor, approved.currency)}); a paid deposit is applied.`
              : "From the job's line items."}
          </p>
        </FormBody>
      )}
    </div>
  );
}
