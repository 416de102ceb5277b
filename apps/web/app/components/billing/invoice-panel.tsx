import { Alert, Badge, CheckboxField, SelectField, Table, Td, TextField, Th } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";
import type { JobBillingData } from "./types";

type Invoice = JobBillingData["invoices"][number];

const TERMS_LABELS = {
  due_on_receipt: "Due on receipt",
  net_15: "Net 15",
  net_30: "Net 30",
  custom: "Custom number of days",
} as const;

/** Payment terms: the due date is the issue date plus these days. */
function TermsFields({
  terms,
  termsDays,
  errors,
}: {
  terms: keyof typeof TERMS_LABELS;
  termsDays: number;
  errors: Record<string, string>;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <SelectField label="Payment terms" name="terms" defaultValue={terms} error={errors.terms}>
        {Object.entries(TERMS_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Days to pay (custom terms)"
        name="termsDays"
        inputMode="numeric"
        defaultValue={String(termsDays)}
        error={errors.termsDays}
      />
    </div>
  );
}

/** Gives back part or all of a received payment (online ones through Stripe). Owners and admins. */
function RefundForm({
  payment,
  inv,
  data,
}: {
  payment: Invoice["payments"][number];
  inv: Invoice;
  data: FormResult | undefined;
}) {
  const { moneyInput } = useFormat();
  const errors = resultFor(data, `paymentRefund:${payment.id}`)?.fieldErrors ?? {};
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm font-medium">Refund this payment</summary>
      <div className="mt-2">
        <FormBody intent={`paymentRefund:${payment.id}`} data={data} submit="Refund" variant="secondary">
          <input type="hidden" name="currency" value={inv.currency} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label={`Amount to refund (${inv.currency})`}
              name="amount"
              inputMode="decimal"
              defaultValue={moneyInput(payment.amountMinor, inv.currency)}
              error={errors.amountMinor ?? errors.amount}
            />
            <TextField label="Reason" name="reason" error={errors.reason} />
          </div>
        </FormBody>
      </div>
    </details>
  );
}

export const INVOICE_TONES = {
  draft: "slate",
  sent: "blue",
  viewed: "blue",
  partly_paid: "amber",
  paid: "green",
  overdue: "red",
  void: "slate",
} as const;

function InvoiceActions({
  inv,
  billing,
  data,
}: {
  inv: Invoice;
  billing: JobBillingData;
  data: FormResult | undefined;
}) {
  const { moneyInput } = useFormat();
  const errors = (intent: string) => resultFor(data, `${intent}:${inv.id}`)?.fieldErrors ?? {};
  if (inv.status === "draft") {
    return (
      <div className="space-y-4">
        <FormBody intent={`invoiceTerms:${inv.id}`} data={data} submit="Change terms" variant="secondary">
          <TermsFields terms={inv.terms} termsDays={inv.termsDays} errors={errors("invoiceTerms")} />
        </FormBody>
        <FormBody intent={`invoiceIssue:${inv.id}`} data={data} submit="Issue invoice">
          <CheckboxField label="Email it to the customer with its PDF" name="send" defaultChecked />
          <TextField
            label="Send the invoice to"
            name="to"
            type="email"
            defaultValue={inv.recipientEmail ?? ""}
            error={errors("invoiceIssue").to}
          />
        </FormBody>
      </div>
    );
  }
  if (inv.status !== "issued") return null;
  const open = inv.kind === "invoice" && inv.balance.dueMinor > 0;
  return (
    <div className="space-y-4">
      <FormBody intent={`invoiceSend:${inv.id}`} data={data} submit="Email invoice" variant="secondary">
        <TextField
          label={`Send ${inv.number} to`}
          name="to"
          type="email"
          defaultValue={inv.recipientEmail ?? ""}
          error={errors("invoiceSend").to}
        />
      </FormBody>
      {open ? (
        <details className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-700">
          <summary className="cursor-pointer text-sm font-medium">
            Record a payment (cash, transfer, check)
          </summary>
          <div className="mt-3">
            <FormBody intent={`paymentRecord:${inv.id}`} data={data} submit="Record payment">
              <input type="hidden" name="currency" value={inv.currency} />
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField
                  label={`Amount (${inv.currency})`}
                  name="amount"
                  inputMode="decimal"
                  defaultValue={moneyInput(inv.balance.dueMinor, inv.currency)}
                  error={errors("paymentRecord").amount}
                />
                <SelectField label="Paid by" name="method" error={errors("paymentRecord").method}>
                  {(["bank_transfer", "cash", "check", "other"] as const).map((m) => (
                    <option key={m} value={m}>
                      {billing.methodLabels[m]}
                    </option>
                  ))}
                </SelectField>
                <TextField label="Reference" name="reference" error={errors("paymentRecord").reference} />
                <TextField
                  label="Received on"
                  name="receivedOn"
                  type="date"
                  hint="Empty: today."
                  error={errors("paymentRecord").receivedOn}
                />
              </div>
            </FormBody>
          </div>
        </details>
      ) : null}
      {inv.kind === "invoice" ? (
        <details className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-700">
          <summary className="cursor-pointer text-sm font-medium">Correct it: credit note or void</summary>
          <div className="mt-3 space-y-4">
            <FormBody
              intent={`creditNote:${inv.id}`}
              data={data}
              submit="Issue credit note"
              variant="secondary"
            >
              <TextAreaField
                label="What the credit is for"
                name="reason"
                rows={2}
                error={errors("creditNote").reason}
              />
            </FormBody>
            <FormBody intent={`invoiceVoid:${inv.id}`} data={data} submit="Void invoice" variant="secondary">
              <TextAreaField
                label="Why it is void"
                name="reason"
                rows={2}
                error={errors("invoiceVoid").reason}
              />
            </FormBody>
          </div>
        </details>
      ) : null}
    </div>
  );
}

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
