import { Alert, Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type ComponentProps, createContext, useContext, useRef } from "react";
import { CalibrationSection } from "~/components/shop/calibration";
import { ErrorSummary } from "~/components/shop/error-summary";
import {
  MAX_PAIR_ROWS,
  PROCESS_FIELDS,
  type Process,
  pricingFieldError,
  readIds,
  readPricingRules,
  TECHNOLOGIES,
} from "~/components/shop/pricing-form";
import { PricingPreview } from "~/components/shop/pricing-preview";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, resultFor } from "~/lib/forms";
import { orgForm, requireOrgAdmin, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Pricing · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrgAdmin(request, context, "Pricing");
  const [pricing, materials, printers, calibration] = await Promise.all([
    org.api.shop.pricing.get(),
    org.api.shop.materials.list({ lowStockOnly: false }),
    org.api.shop.printers.list({}),
    org.api.shop.calibration.get(),
  ]);
  return json({
    ...shellData(org),
    pricing,
    calibration,
    materials: materials.map((m) => ({
      id: m.id,
      name: m.name,
      technology: m.technology,
      costPerKgMinor: m.costPerKgMinor,
    })),
    printers: printers.map((p) => ({
      id: p.id,
      name: p.name,
      technology: p.technology,
      hourlyRateMinor: p.hourlyRateMinor,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrgAdmin(request, context, "Pricing");
  const form = await request.formData();
  if (form.get("intent") === "calibration") {
    const enabled = form.get("enabled") === "on";
    return attempt(
      "calibration",
      () => org.api.shop.calibration.update({ enabled }),
      enabled
        ? "Calibration on: new quotes use the fitted print times where there are enough jobs."
        : "Calibration off: new quotes use the estimates as they are.",
      "Only owners and admins can change calibration.",
    );
  }
  return attempt(
    "save",
    () =>
      org.api.shop.pricing.update({ pricing: readPricingRules(form, readIds(form), orgForm(request, org)) }),
    "Pricing saved. New quotes use these rules.",
    "Only owners and admins can change pricing.",
  );
}

/** The server's field errors of the last refused save, for each field to show its own beside it. */
const FieldErrors = createContext<Record<string, string>>({});

/** A text field of this form, with the server's message for it (if any) beside it. */
function PricingField(props: ComponentProps<typeof TextField> & { name: string }) {
  const error = pricingFieldError(useContext(FieldErrors), props.name);
  return <TextField {...props} error={error} />;
}

function ProcessFields({ prefix, values, legend }: { prefix: string; values: Process; legend: string }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      <div className="mt-1 grid gap-3 sm:grid-cols-4">
        {PROCESS_FIELDS.map(([key, label, step]) => (
          <PricingField
            key={key}
            label={label}
            name={`${prefix}.${key}`}
            type="number"
            step={step}
            min={0}
            defaultValue={values[key] ?? ""}
            placeholder="default"
          />
        ))}
      </div>
    </fieldset>
  );
}

export default function Pricing() {
  const { pricing, materials, printers, calibration, ...shell } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = resultFor(actionData, "save");
  const calibrationResult = resultFor(actionData, "calibration");
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const rules = pricing.pricing;
  const cur = pricing.currency;
  const fmt = useFormat();
  const toMajor = (minor: number) => fmt.moneyInput(minor, cur);
  const rate = (minor: number | null | undefined) => fmt.rateInput(minor, cur);
  // The saved pairs plus one empty row to add another (up to the form's limit).
  const pairRows = [...(rules.pairs ?? []), null].slice(0, MAX_PAIR_ROWS);
  const tiers = [...rules.quantityTiers, ...Array.from({ length: 3 }, () => null)].slice(
    0,
    Math.max(3, rules.quantityTiers.length + 1),
  );
  return (
    <ShopPage
      shell={shell}
      title="Pricing"
      description={
        pricing.customized
          ? `How quotes are priced, in ${cur}. Empty fields use the engine's defaults.`
          : `You are on the default rules. Set yours and save; prices are in ${cur}.`
      }
    >
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <Form method="post" ref={formRef} noValidate className="space-y-6">
          <FieldErrors.Provider value={result?.ok ? {} : (result?.fieldErrors ?? {})}>
            <input type="hidden" name="intent" value="save" />
            {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
            <ErrorSummary result={result?.ok ? undefined : result} />
            <Section id="general" title="Prices and fees">
              <div className="grid gap-4 sm:grid-cols-3">
                <SelectField label="Charge material by" name="materialUnit" defaultValue={rules.materialUnit}>
                  <option value="gram">Gram</option>
                  <option value="cm3">cm³</option>
                </SelectField>
                <PricingField
                  label={`Setup fee per order (${cur})`}
                  name="setupFeePerOrder"
                  inputMode="decimal"
                  defaultValue={toMajor(rules.setupFeePerOrderMinor)}
                />
                <PricingField
                  label={`Setup fee per model (${cur})`}
                  name="setupFeePerModel"
                  inputMode="decimal"
                  defaultValue={toMajor(rules.setupFeePerModelMinor)}
                />
                <PricingField
                  label={`Minimum order (${cur})`}
                  name="minimumOrder"
                  inputMode="decimal"
                  defaultValue={toMajor(rules.minimumOrderMinor)}
                />
                <PricingField
                  label="Rush multiplier"
                  name="rushMultiplier"
                  type="number"
                  step="0.05"
                  min={1}
                  hint="1.5 = rush orders cost 50% more"
                  defaultValue={rules.rushMultiplier}
                />
                <PricingField
                  label="Markup (%)"
                  name="markupPercent"
                  type="number"
                  step="0.1"
                  min={0}
                  defaultValue={rules.markupPercent}
                />
                <PricingField
                  label="Tax rate (%)"
                  name="taxRatePercent"
                  type="number"
                  step="0.01"
                  min={0}
                  defaultValue={rules.taxRatePercent}
                />
              </div>
            </Section>
            <Section
              id="tiers"
              title="Quantity discounts"
              description="Orders of at least this many pieces of a model get the discount."
            >
              <div className="space-y-3">
                {tiers.map((t, i) => (
                  <div key={`tier-${i}-${t?.minQuantity ?? "new"}`} className="grid gap-3 sm:grid-cols-2">
                    <PricingField
                      label={`Tier ${i + 1}: from quantity`}
                      name={`tiers.${i}.minQuantity`}
                      type="number"
                      min={2}
                      defaultValue={t?.minQuantity ?? ""}
                    />
                    <PricingField
                      label={`Tier ${i + 1}: discount (%)`}
                      name={`tiers.${i}.discountPercent`}
                      type="number"
                      min={0}
                      max={100}
                      defaultValue={t?.discountPercent ?? ""}
                    />
                  </div>
                ))}
              </div>
            </Section>
            <Section
              id="process"
              title="Process per technology"
              description="How a model turns into grams and hours."
            >
              <div className="space-y-4">
                {TECHNOLOGIES.map((t) => (
                  <ProcessFields
                    key={t}
                    prefix={`process.${t}`}
                    values={rules.process[t]}
                    legend={t.toUpperCase()}
                  />
                ))}
              </div>
            </Section>
            <Section
              id="per-material"
              title="Per material"
              description="Empty price: the material's cost per kg."
            >
              {materials.length === 0 ? (
                <p className="text-sm text-slate-600 dark:text-slate-400">No materials yet.</p>
              ) : (
                <div className="space-y-4">
                  {materials.map((m) => {
                    const r = rules.materials[m.id];
                    return (
                      <fieldset
                        key={m.id}
                        className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800"
                      >
                        <legend className="px-1 text-sm font-semibold">{m.name}</legend>
                        <input type="hidden" name="materialIds" value={m.id} />
                        <div className="grid gap-3 sm:grid-cols-3">
                          <CheckboxField
                            label={`Offer ${m.name} to customers`}
                            name={`mat.${m.id}.enabled`}
                            defaultChecked={r?.enabled ?? true}
                          />
                          <PricingField
                            label={`${m.name}: price per ${rules.materialUnit === "gram" ? "gram" : "cm³"} (${cur})`}
                            name={`mat.${m.id}.price`}
                            inputMode="decimal"
                            placeholder={rate(m.costPerKgMinor / 1000)}
                            defaultValue={rate(r?.priceMinor)}
                          />
                          <PricingField
                            label={`${m.name}: markup (%)`}
                            name={`mat.${m.id}.markupPercent`}
                            type="number"
                            min={0}
                            placeholder="shop markup"
                            defaultValue={r?.markupPercent ?? ""}
                          />
                        </div>
                        <details className="mt-3">
                          <summary className="cursor-pointer text-sm">Process overrides</summary>
                          <div className="mt-2">
                            <ProcessFields
                              prefix={`mat.${m.id}.process`}
                              values={r?.process ?? {}}
                              legend={`${m.name} process`}
                            />
                          </div>
                        </details>
                      </fieldset>
                    );
                  })}
                </div>
              )}
            </Section>
            <Section
              id="per-printer"
              title="Per printer"
              description="Empty hourly rate: the printer's own rate."
            >
              {printers.length === 0 ? (
                <p className="text-sm text-slate-600 dark:text-slate-400">No printers yet.</p>
              ) : (
                <div className="space-y-4">
                  {printers.map((p) => {
                    const r = rules.printers[p.id];
                    return (
                      <fieldset
                        key={p.id}
                        className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800"
                      >
                        <legend className="px-1 text-sm font-semibold">{p.name}</legend>
                        <input type="hidden" name="printerIds" value={p.id} />
                        <div className="grid gap-3 sm:grid-cols-2">
                          <CheckboxField
                            label={`Offer ${p.name} to customers`}
                            name={`prn.${p.id}.enabled`}
                            defaultChecked={r?.enabled ?? true}
                          />
                          <PricingField
                            label={`${p.name}: machine rate per hour (${cur})`}
                            name={`prn.${p.id}.hourly`}
                            inputMode="decimal"
                            placeholder={toMajor(p.hourlyRateMinor)}
                            defaultValue={rate(r?.machineHourlyMinor)}
                          />
                        </div>
                        <details className="mt-3">
                          <summary className="cursor-pointer text-sm">Process overrides</summary>
                          <div className="mt-2">
                            <ProcessFields
                              prefix={`prn.${p.id}.process`}
                              values={r?.process ?? {}}
                              legend={`${p.name} process`}
                            />
                          </div>
                        </details>
                      </fieldset>
                    );
                  })}
                </div>
              )}
            </Section>
            <Section
              id="per-pair"
              title="Per material on a printer"
              description="A price for one material on one printer (for example resin on a large-format printer). Filled fields win over the material's and the printer's; empty a row to remove it."
            >
              {materials.length === 0 || printers.length === 0 ? (
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  Add materials and printers first.
                </p>
              ) : (
                <div className="space-y-3">
                  {pairRows.map((pair, i) => (
                    <fieldset
                      key={`pair-${i}`}
                      className="grid gap-3 rounded-lg p-3 ring-1 ring-slate-200 sm:grid-cols-5 dark:ring-slate-800"
                    >
                      <legend className="px-1 text-sm font-semibold">Pair {i + 1}</legend>
                      <SelectField
                        label={`Pair ${i + 1} material`}
                        name={`pairs.${i}.materialId`}
                        defaultValue={pair?.materialId ?? ""}
                      >
                        <option value="">Choose…</option>
                        {materials.map((m) => (
                          <option key={m.id} value={m.id}>
                            {m.name}
                          </option>
                        ))}
                      </SelectField>
                      <SelectField
                        label={`Pair ${i + 1} printer`}
                        name={`pairs.${i}.printerId`}
                        defaultValue={pair?.printerId ?? ""}
                      >
                        <option value="">Choose…</option>
                        {printers.map((p) => (
                          <option key={p.id} value={p.id}>
                            {p.name}
                          </option>
                        ))}
                      </SelectField>
                      <PricingField
                        label={`Pair ${i + 1} price per ${rules.materialUnit === "cm3" ? "cm³" : "gram"} (${cur})`}
                        name={`pairs.${i}.price`}
                        inputMode="decimal"
                        defaultValue={rate(pair?.priceMinor)}
                      />
                      <PricingField
                        label={`Pair ${i + 1} machine rate per hour (${cur})`}
                        name={`pairs.${i}.hourly`}
                        inputMode="decimal"
                        defaultValue={rate(pair?.machineHourlyMinor)}
                      />
                      <PricingField
                        label={`Pair ${i + 1} markup (%)`}
                        name={`pairs.${i}.markupPercent`}
                        type="number"
                        min={0}
                        defaultValue={pair?.markupPercent ?? ""}
                      />
                    </fieldset>
                  ))}
                </div>
              )}
            </Section>
            <div className="flex justify-end">
              <Button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Save pricing"}
              </Button>
            </div>
          </FieldErrors.Provider>
        </Form>
        <div className="lg:sticky lg:top-4 lg:self-start">
          <PricingPreview rulesForm={formRef} materials={materials} printers={printers} />
        </div>
      </div>
      <CalibrationSection
        {...calibration}
        busy={busy}
        message={calibrationResult?.ok ? calibrationResult.message : null}
        error={calibrationResult && !calibrationResult.ok ? calibrationResult.formError : null}
      />
    </ShopPage>
  );
}
