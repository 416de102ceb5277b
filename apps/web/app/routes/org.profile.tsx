import {
  Alert,
  Button,
  CheckboxField,
  countryOptions,
  currencyOptions,
  Section,
  SelectField,
  TextField,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { num } from "~/components/shop/format";
import { LogoSection } from "~/components/shop/logo-section";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, formText } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Shop profile · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const profile = await org.api.shop.profile.get();
  return json({ ...shellData(org), profile, countries: countryOptions(), currencies: currencyOptions() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const read = orgForm(request, org);
  const form = await request.formData();
  // Shipping prices are in the currency this same form sets.
  const currency = formText(form, "currency") || read.currency;
  const count = Math.min(Number(formText(form, "shippingCount")) || 0, 20);
  const shippingOptions: { name: string; priceMinor: number; days: number | null; countries: string[] }[] =
    [];
  for (let i = 0; i < count; i++) {
    const name = formText(form, `shipping.${i}.name`);
    const price = formText(form, `shipping.${i}.price`);
    if (!name.trim() && !price.trim()) continue;
    shippingOptions.push({
      name,
      priceMinor: read.money(price || "0", currency),
      days: num(form.get(`shipping.${i}.days`)) ?? null,
      // "US, CA": the countries the option delivers to (blank: the shop's own country).
      countries: formText(form, `shipping.${i}.countries`)
        .split(/[\s,;]+/)
        .filter(Boolean),
    });
  }
  const rush = num(form.get("rushLeadDays"));
  return attempt(
    "save",
    () =>
      api.shop.profile.update({
        name: formText(form, "name"),
        slug: formText(form, "slug"),
        companyName: formText(form, "companyName"),
        description: formText(form, "description"),
        contactEmail: formText(form, "contactEmail").trim() || null,
        phone: formText(form, "phone"),
        address: {
          line1: formText(form, "address.line1"),
          line2: formText(form, "address.line2"),
          city: formText(form, "address.city"),
          postalCode: formText(form, "address.postalCode"),
          region: formText(form, "address.region"),
        },
        country: formText(form, "country"),
        currency: formText(form, "currency"),
        timezone: formText(form, "timezone"),
        technologies: form.getAll("technologies").map(String) as "fdm"[],
        standardLeadDays: num(form.get("standardLeadDays")) ?? Number.NaN,
        rushLeadDays: rush ?? null,
        shippingOptions,
        listed: form.get("listed") === "on",
      }),
    "The shop profile is saved.",
    "Only owners and admins can change the shop profile.",
  );
}

export default function ShopProfile() {
  const { moneyInput } = useFormat();
  const { profile: p, countries, currencies, ...shell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const readOnly = shell.organization.role === "member";
  const [shipping, setShipping] = useState(Math.max(p.shippingOptions.length, 1));
  const e = result?.fieldErrors ?? {};
  return (
    <ShopPage
      shell={shell}
      title="Shop profile"
      description="What customers see on the marketplace and in your quotes."
    >
      <LogoSection logo={p.logo} shopName={p.name} readOnly={readOnly} />
      <Form method="post" noValidate className="space-y-6">
        {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
        <ErrorSummary result={result?.ok ? undefined : result} />
        <fieldset disabled={readOnly} className="space-y-6">
          <Section id="identity" title="Identity">
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label="Shop name" name="name" defaultValue={p.name} error={e.name} />
              <TextField
                label="Web address"
                name="slug"
                defaultValue={p.slug}
                hint="Lowercase letters, digits and hyphens"
                error={e.slug}
              />
              <TextField
                label="Legal company name"
                name="companyName"
                defaultValue={p.companyName}
                hint="The legal name on your quotes and invoices."
                error={e.companyName}
                className="sm:col-span-2"
              />
            </div>
            <TextAreaField
              className="mt-4"
              label="Description"
              name="description"
              rows={4}
              defaultValue={p.description}
              error={e.description}
            />
            <div className="mt-4">
              <CheckboxField
                label="Listed on the marketplace"
                name="listed"
                defaultChecked={p.listed}
                hint="Unlisted shops still work through their own link and widget."
              />
            </div>
          </Section>
          <Section id="contact" title="Contact and address">
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                label="Contact email"
                name="contactEmail"
                type="email"
                defaultValue={p.contactEmail ?? ""}
                error={e.contactEmail}
              />
              <TextField label="Phone" name="phone" defaultValue={p.phone ?? ""} error={e.phone} />
              <TextField
                label="Address line 1"
                name="address.line1"
                defaultValue={p.address.line1 ?? ""}
                error={e["address.line1"]}
              />
              <TextField
                label="Address line 2"
                name="address.line2"
                defaultValue={p.address.line2 ?? ""}
                error={e["address.line2"]}
              />
              <TextField
                label="City"
                name="address.city"
                defaultValue={p.address.city ?? ""}
                error={e["address.city"]}
              />
              <TextField
                label="Postal code"
                name="address.postalCode"
                defaultValue={p.address.postalCode ?? ""}
                error={e["address.postalCode"]}
              />
              <TextField
                label="Region"
                name="address.region"
                defaultValue={p.address.region ?? ""}
                error={e["address.region"]}
              />
              <SelectField label="Country" name="country" defaultValue={p.country} error={e.country}>
                {countries.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </SelectField>
              <SelectField label="Currency" name="currency" defaultValue={p.currency} error={e.currency}>
                {currencies.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </SelectField>
              <TextField
                label="Time zone"
                name="timezone"
                defaultValue={p.timezone}
                hint="A name like Europe/Berlin or America/New_York"
                error={e.timezone}
              />
            </div>
          </Section>
          <Section id="production" title="Production">
            <fieldset>
              <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Technologies</legend>
              <div className="mt-2 flex gap-6 text-sm">
                {(
                  [
                    ["fdm", "FDM"],
                    ["resin", "Resin"],
                    ["powder", "Powder"],
                  ] as const
                ).map(([v, l]) => (
                  <label key={v} className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      name="technologies"
                      value={v}
                      defaultChecked={p.technologies.includes(v)}
                      className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
                    />
                    {l}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="mt-4 grid gap-4 sm:grid-cols-2">
              <TextField
                label="Standard lead time (days)"
                name="standardLeadDays"
                type="number"
                min={1}
                defaultValue={p.standardLeadDays}
                error={e.standardLeadDays}
              />
              <TextField
                label="Rush lead time (days, optional)"
                name="rushLeadDays"
                type="number"
                min={1}
                defaultValue={p.rushLeadDays ?? ""}
                error={e.rushLeadDays}
              />
            </div>
          </Section>
          <Section id="shipping" title="Shipping options" description={`Prices in ${p.currency}.`}>
            <input type="hidden" name="shippingCount" value={shipping} />
            <div className="space-y-3">
              {Array.from({ length: shipping }, (_, i) => {
                const o = p.shippingOptions[i];
                return (
                  <div key={`ship-${i}-${o?.name ?? "new"}`} className="grid gap-3 sm:grid-cols-4">
                    <TextField
                      label={`Option ${i + 1} name`}
                      name={`shipping.${i}.name`}
                      defaultValue={o?.name ?? ""}
                      placeholder="Pickup, Standard post…"
                      error={e[`shippingOptions.${i}.name`]}
                    />
                    <TextField
                      label={`Option ${i + 1} price`}
                      name={`shipping.${i}.price`}
                      inputMode="decimal"
                      defaultValue={o ? moneyInput(o.priceMinor, p.currency) : ""}
                      error={e[`shippingOptions.${i}.priceMinor`]}
                    />
                    <TextField
                      label={`Option ${i + 1} delivery days`}
                      name={`shipping.${i}.days`}
                      type="number"
                      min={0}
                      defaultValue={o?.days ?? ""}
                      error={e[`shippingOptions.${i}.days`]}
                    />
                    <TextField
                      label={`Option ${i + 1} delivers to`}
                      name={`shipping.${i}.countries`}
                      defaultValue={o?.countries?.join(", ") ?? ""}
                      placeholder={`${p.country} only`}
                      hint="Country codes, e.g. US, CA"
                      error={
                        e[`shippingOptions.${i}.countries`] ??
                        Object.entries(e).find(([k]) => k.startsWith(`shippingOptions.${i}.countries.`))?.[1]
                      }
                    />
                  </div>
                );
              })}
            </div>
            <Button
              type="button"
              variant="secondary"
              className="mt-3"
              onClick={() => setShipping((n) => n + 1)}
            >
              Add shipping option
            </Button>
          </Section>
          {readOnly ? null : (
            <div className="flex justify-end">
              <Button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Save profile"}
              </Button>
            </div>
          )}
        </fieldset>
      </Form>
    </ShopPage>
  );
}
