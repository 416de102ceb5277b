import { CheckboxField, SelectField, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { percentToBps } from "~/components/billing/job-billing.server";
import { FormBody } from "~/components/intent-form";
import { TextAreaField } from "~/components/shop/controls";
import { ShopPage } from "~/components/shop/shop-page";
import { attempt, type FormResult, formText, resultFor } from "~/lib/forms";
import { requireOrgAdmin, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Billing setup · Ktizo" }];

/** Rows the tax-rate table offers beyond the rates the shop has. */
const SPARE_RATES = 2;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrgAdmin(request, context, "the billing setup");
  return json({ ...shellData(org), settings: await org.api.billing.settings.get({}) });
}

const whole = (form: FormData, name: string) => {
  const text = formText(form, name).trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
};

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrgAdmin(request, context, "the billing setup");
  const form = await request.formData();
  const count = whole(form, "rateCount") || 0;
  const taxRates: { id: string | undefined; name: string; rateBps: number; inclusive: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const name = formText(form, `taxRates.${i}.name`).trim();
    const rate = formText(form, `taxRates.${i}.rate`).trim();
    if (!name && !rate) continue;
    taxRates.push({
      id: formText(form, `taxRates.${i}.id`) || undefined,
      name,
      rateBps: percentToBps(rate),
      inclusive: form.get(`taxRates.${i}.inclusive`) === "on",
    });
  }
  return attempt(
    "settings",
    () =>
      api.billing.settings.update({
        taxRates,
        invoicePrefix: formText(form, "invoicePrefix"),
        creditNotePrefix: formText(form, "creditNotePrefix"),
        defaultTermsDays: whole(form, "defaultTermsDays"),
        taxId: formText(form, "taxId"),
        legalFooter: formText(form, "legalFooter"),
        remindDaysBefore: whole(form, "remindDaysBefore"),
        remindOnDue: form.get("remindOnDue") === "on",
        remindOverdueEveryDays: whole(form, "remindOverdueEveryDays"),
        remindOverdueMax: whole(form, "remindOverdueMax"),
        retentionYears: whole(form, "retentionYears"),
      }),
    "Billing setup saved.",
  );
}

export default function BillingSettings() {
  const { settings, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as FormResult | undefined;
  const e = resultFor(data, "settings")?.fieldErrors ?? {};
  const rows = [...settings.taxRates, ...Array.from({ length: SPARE_RATES }, () => null)];
  const number = (name: keyof typeof settings, label: string, hint?: string) => (
    <TextField
      label={label}
      name={name}
      inputMode="numeric"
      defaultValue={String(settings[name])}
      hint={hint}
      error={e[name]}
    />
  );
  return (
    <ShopPage
      shell={shell}
      title="Billing setup"
      description="Tax rates, invoice numbering and terms, payment reminders and how long records are kept."
    >
      <FormBody intent="settings" data={data} submit="Save billing setup">
        <input type="hidden" name="rateCount" value={rows.length} />
        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold">Tax rates</legend>
          {rows.map((r, i) => (
            <div key={r?.id ?? `new-${i}`} className="grid gap-2 sm:grid-cols-4">
              {r ? <input type="hidden" name={`taxRates.${i}.id`} value={r.id} /> : null}
              <TextField
                className="sm:col-span-2"
                label={`Tax ${i + 1} name`}
                name={`taxRates.${i}.name`}
                defaultValue={r?.name ?? ""}
                error={e[`taxRates.${i}.name`]}
              />
              <TextField
                label={`Tax ${i + 1} rate %`}
                name={`taxRates.${i}.rate`}
                inputMode="decimal"
                defaultValue={r ? String(r.rateBps / 100) : ""}
                error={e[`taxRates.${i}.rateBps`]}
              />
              <CheckboxField
                label="Included in prices"
                name={`taxRates.${i}.inclusive`}
                defaultChecked={r?.inclusive ?? false}
              />
            </div>
          ))}
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Empty a row's name and rate to remove that tax (documents already written keep theirs).
          </p>
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Invoice number prefix"
            name="invoicePrefix"
            defaultValue={settings.invoicePrefix}
            hint="INV gives INV-2026-0001."
            error={e.invoicePrefix}
          />
          <TextField
            label="Credit note prefix"
            name="creditNotePrefix"
            defaultValue={settings.creditNotePrefix}
            error={e.creditNotePrefix}
          />
          <SelectField
            label="Default payment terms"
            name="defaultTermsDays"
            defaultValue={String(settings.defaultTermsDays)}
            error={e.defaultTermsDays}
          >
            {[0, 7, 15, 30, 45, 60].map((d) => (
              <option key={d} value={d}>
                {d === 0 ? "Due on receipt" : `Net ${d}`}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Tax id (shown on invoices)"
            name="taxId"
            defaultValue={settings.taxId ?? ""}
            error={e.taxId}
          />
        </div>
        <TextAreaField
          label="Legal footer of invoices"
          name="legalFooter"
          rows={2}
          defaultValue={settings.legalFooter}
          error={e.legalFooter}
        />
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold">
            Payment reminders (service emails: customers cannot switch them off while an invoice is open)
          </legend>
          {number("remindDaysBefore", "Days before the due date", "0: no reminder before.")}
          {number("remindOverdueEveryDays", "Once overdue, every … days", "0: no overdue reminders.")}
          {number("remindOverdueMax", "Overdue reminders at most")}
          <CheckboxField
            label="Remind on the due date"
            name="remindOnDue"
            defaultChecked={settings.remindOnDue}
          />
        </fieldset>
        {number(
          "retentionYears",
          "Keep invoices and payments for (years)",
          "The law where you trade decides; 10 years is the default. They are deleted after that date.",
        )}
      </FormBody>
    </ShopPage>
  );
}
