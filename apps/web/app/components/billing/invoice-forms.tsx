import { CheckboxField, SelectField, TextField } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { TextAreaField } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";
import type { JobBillingData } from "./types";

type Invoice = JobBillingData["invoices"][number];

export const TERMS_LABELS = {
  due_on_receipt: "Due on receipt",
  net_15: "Net 15",
  net_30: "Net 30",
  custom: "Custom number of days",
} as const;

/** Payment terms: the due date is the issue date plus these days. */
export function TermsFields({
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
export function RefundForm({
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

/** The forms an invoice offers in its state: terms and issue for a draft; send, record a payment, correct for an issued one. */
export function InvoiceActions({
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
