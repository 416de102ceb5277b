import { billing } from "@ktizo/api";
import type { ActionErrors } from "@ktizo/ui";
import { attempt, type FormResult, formText, refused } from "~/lib/forms";
import type { orgForm, requireOrg } from "~/lib/org.server";

type Org = Awaited<ReturnType<typeof requireOrg>>;
type Api = Org["api"];
type Reader = ReturnType<typeof orgForm>;

/** Everything the job page's Billing section shows: estimates, proofs, invoices with their payments. */
export async function loadJobBilling(api: Api, jobId: string) {
  const [summaries, proofs, invoiceList, settings] = await Promise.all([
    api.billing.estimates.list({ jobId }),
    api.billing.proofs.list({ jobId }),
    api.billing.invoices.list({ jobId }),
    api.billing.settings.get({}),
  ]);
  const [estimate, invoices] = await Promise.all([
    summaries[0] ? api.billing.estimates.get({ id: summaries[0].id }) : null,
    Promise.all(invoiceList.map((i) => api.billing.invoices.get({ id: i.id }))),
  ]);
  return {
    estimate,
    olderEstimates: summaries.slice(1),
    proofs,
    invoices,
    taxRates: settings.taxRates.map((r) => ({ id: r.id, name: r.name, rateBps: r.rateBps })),
    defaultTermsDays: settings.defaultTermsDays,
    statusLabels: billing.INVOICE_STATUS_LABELS,
    methodLabels: billing.PAYMENT_METHOD_LABELS,
  };
}

/** How many line rows the estimate form offers beyond the lines it already has. */
export const SPARE_LINES = 2;

/** "12.5" (percent) → 1250 basis points; anything else NaN, which the API refuses with the field's message. */
export function percentToBps(text: string): number {
  const t = text.trim().replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return Number.NaN;
  return Math.round(Number(t) * 100);
}

/** A "percent or amount" pair of fields (discount, deposit); empty → null. */
function percentOrAmount(form: FormData, name: string, read: Reader, currency: string) {
  const value = formText(form, `${name}Value`).trim();
  if (!value) return null;
  return formText(form, `${name}Kind`) === "amount"
    ? { kind: "amount" as const, minor: read.money(value, currency) }
    : { kind: "percent" as const, bps: percentToBps(value) };
}

/** The estimate form's fields as the API takes them (rows without a description are left out). */
export function estimateFields(form: FormData, read: Reader, currency: string) {
  const count = Number(formText(form, "lineCount")) || 0;
  const lines = [];
  for (let i = 0; i < count; i++) {
    const description = formText(form, `lines.${i}.description`);
    if (!description.trim()) continue;
    const jobItemId = formText(form, `lines.${i}.jobItemId`) || null;
    const price = formText(form, `lines.${i}.unitPrice`);
    lines.push({
      description,
      quantity: Number(formText(form, `lines.${i}.quantity`) || "1"),
      unitPriceMinor: jobItemId ? 0 : read.money(price, currency),
      discountBps: formText(form, `lines.${i}.discount`).trim()
        ? percentToBps(formText(form, `lines.${i}.discount`))
        : 0,
      taxRateId: formText(form, `lines.${i}.taxRateId`) || null,
      jobItemId,
    });
  }
  const shipping = formText(form, "shipping").trim();
  return {
    lines,
    discount: percentOrAmount(form, "discount", read, currency),
    shippingMinor: shipping ? read.money(shipping, currency) : 0,
    shippingTaxRateId: formText(form, "shippingTaxRateId") || null,
    deposit: percentOrAmount(form, "deposit", read, currency),
    validUntil: formText(form, "validUntil") || null,
    notes: formText(form, "notes"),
  };
}

/**
 * The API names a line's fields `lines.0.unitPriceMinor`; the form names the input `lines.0.unitPrice`
 * (and the discount and deposit `discountValue`, `depositValue`): errors are shown beside the inputs.
 */
function formFieldErrors(errors: ActionErrors): ActionErrors {
  const fieldErrors: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors.fieldErrors)) {
    const name = key
      .replace(/^lines\.(\d+)\.unitPriceMinor$/, "lines.$1.unitPrice")
      .replace(/^lines\.(\d+)\.discountBps$/, "lines.$1.discount")
      .replace(/^(discount|deposit)(\..*)?$/, "$1Value")
      .replace(/^shippingMinor$/, "shipping")
      .replace(/^amountMinor$/, "amount");
    fieldErrors[name] ??= message;
  }
  return { formError: errors.formError, fieldErrors };
}

async function attemptForm(intent: string, call: () => Promise<unknown>, message: string) {
  const response = await attempt(intent, call, message);
  if (response.status < 400) return response;
  const data = (await response.json()) as FormResult;
  return refused(intent, formFieldErrors(data));
}

const TERMS = ["due_on_receipt", "net_15", "net_30", "custom"] as const;

/** The invoice terms a form chose; an unknown value is passed on for the API to refuse by name. */
function termsOf(form: FormData) {
  const terms = formText(form, "terms") as (typeof TERMS)[number];
  const days = formText(form, "termsDays").trim();
  return {
    terms: terms || undefined,
    termsDays: terms === "custom" ? (days === "" ? Number.NaN : Number(days)) : undefined,
  };
}

/** The job page's billing forms; null when the intent is not one of them. */
export async function billingAction(
  intent: string,
  form: FormData,
  org: Org,
  jobId: string,
  read: Reader,
  currency: string,
) {
  const { api } = org;
  // One form per document: the intent names the form and the document ("paymentRecord:inv_…").
  const [kind, id = ""] = intent.split(":");
  const to = formText(form, "to").trim() || undefined;
  switch (kind) {
    case "estimateCreate":
      return attemptForm(
        intent,
        () => api.billing.estimates.create({ jobId, ...estimateFields(form, read, currency) }),
        "Estimate saved as a draft.",
      );
    case "estimateRevise":
      return attemptForm(
        intent,
        () => api.billing.estimates.revise({ id, ...estimateFields(form, read, currency) }),
        "Saved as a new version.",
      );
    case "estimateSend":
      return attemptForm(intent, () => api.billing.estimates.send({ id, to }), "Estimate emailed.");
    case "proofAdd":
      return attemptForm(
        intent,
        async () => {
          const proof = await api.billing.proofs.add({ jobId, fileId: formText(form, "fileId") });
          if (form.get("send") === "on") await api.billing.proofs.send({ id: proof.id, to });
        },
        form.get("send") === "on" ? "Proof added and emailed." : "Proof added.",
      );
    case "proofSend":
      return attemptForm(intent, () => api.billing.proofs.send({ id, to }), "Proof emailed.");
    case "proofOverride":
      return attemptForm(
        intent,
        () => api.billing.proofs.override({ jobId, reason: formText(form, "reason") }),
        "Printing may start without approval (recorded in the audit log).",
      );
    case "invoiceCreate":
      return attemptForm(
        intent,
        () => {
          const estimateId = formText(form, "estimateId");
          const terms = termsOf(form);
          return estimateId
            ? api.billing.invoices.fromEstimate({ estimateId, ...terms })
            : api.billing.invoices.create({ jobId, ...terms });
        },
        "Draft invoice created: check it and issue it.",
      );
    case "invoiceTerms":
      return attemptForm(
        intent,
        () => api.billing.invoices.updateDraft({ id, ...termsOf(form) }),
        "Payment terms changed.",
      );
    case "paymentRefund":
      return attemptForm(
        intent,
        () =>
          api.billing.payments.refund({
            paymentId: id,
            amountMinor: read.money(formText(form, "amount"), formText(form, "currency") || currency),
            reason: formText(form, "reason"),
          }),
        "Refund recorded.",
      );
    case "invoiceIssue":
      return attemptForm(
        intent,
        async () => {
          await api.billing.invoices.issue({ id });
          if (form.get("send") === "on") await api.billing.invoices.send({ id, to });
        },
        form.get("send") === "on" ? "Invoice issued and emailed with its PDF." : "Invoice issued.",
      );
    case "invoiceSend":
      return attemptForm(intent, () => api.billing.invoices.send({ id, to }), "Invoice emailed.");
    case "paymentRecord":
      return attemptForm(
        intent,
        () =>
          api.billing.payments.record({
            invoiceId: id,
            amountMinor: read.money(formText(form, "amount"), formText(form, "currency") || currency),
            method: formText(form, "method") as "cash",
            reference: formText(form, "reference"),
            receivedOn: formText(form, "receivedOn") || undefined,
          }),
        "Payment recorded.",
      );
    case "invoiceVoid":
      return attemptForm(
        intent,
        () => api.billing.invoices.void({ id, reason: formText(form, "reason") }),
        "Invoice voided.",
      );
    case "creditNote":
      return attemptForm(
        intent,
        () => api.billing.invoices.creditNote({ invoiceId: id, reason: formText(form, "reason") }),
        "Credit note issued for the remaining amount.",
      );
    default:
      return null;
  }
}
