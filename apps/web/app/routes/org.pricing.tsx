import { Alert, Button } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { FieldErrors } from "~/components/pricing/pricing-fields";
import {
  MaterialPrinterPairsSection,
  PerMaterialSection,
  PerPrinterSection,
} from "~/components/pricing/pricing-overrides";
import {
  GeneralPricingSection,
  ProcessSection,
  QuantityTiersSection,
} from "~/components/pricing/pricing-sections";
import { CalibrationSection } from "~/components/shop/calibration";
import { ErrorSummary } from "~/components/shop/error-summary";
import { readIds, readPricingRules } from "~/components/shop/pricing-form";
import { PricingPreview } from "~/components/shop/pricing-preview";
import { ShopPage } from "~/components/shop/shop-page";
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

export default function Pricing() {
  const { pricing, materials, printers, calibration, ...shell } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = resultFor(actionData, "save");
  const calibrationResult = resultFor(actionData, "calibration");
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const rules = pricing.pricing;
  const cur = pricing.currency;
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
            <GeneralPricingSection rules={rules} cur={cur} />
            <QuantityTiersSection rules={rules} />
            <ProcessSection rules={rules} />
            <PerMaterialSection rules={rules} cur={cur} materials={materials} />
            <PerPrinterSection rules={rules} cur={cur} printers={printers} />
            <MaterialPrinterPairsSection rules={rules} cur={cur} materials={materials} printers={printers} />
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
