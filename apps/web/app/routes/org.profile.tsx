import { Alert, Button, countryOptions, currencyOptions } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ShopContactSection } from "~/components/profile/contact-section";
import { ShopIdentitySection } from "~/components/profile/identity-section";
import { ShopProductionSection } from "~/components/profile/production-section";
import { ShippingOptionsSection } from "~/components/profile/shipping-section";
import { ErrorSummary } from "~/components/shop/error-summary";
import { num } from "~/components/shop/format";
import { LogoSection } from "~/components/shop/logo-section";
import { ShopPage } from "~/components/shop/shop-page";
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
  const { profile: p, countries, currencies, ...shell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const readOnly = shell.organization.role === "member";
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
          <ShopIdentitySection profile={p} errors={e} />
          <ShopContactSection profile={p} errors={e} countries={countries} currencies={currencies} />
          <ShopProductionSection profile={p} errors={e} />
          <ShippingOptionsSection profile={p} errors={e} />
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
