import { Section, SelectField } from "@ktizo/ui";
import { TECHNOLOGIES } from "~/components/shop/pricing-form";
import { PricingField, ProcessFields, usePricingInputs } from "./pricing-fields";
import type { PricingRulesView } from "./types";

/** Prices and fees: how material is charged, setup fees, minimum order, rush, markup and tax. */
export function GeneralPricingSection({ rules, cur }: { rules: PricingRulesView; cur: string }) {
  const { toMajor } = usePricingInputs(cur);
  return (
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
  );
}

/** Quantity discounts: the saved tiers and empty rows to add more (at least three). */
export function QuantityTiersSection({ rules }: { rules: PricingRulesView }) {
  const tiers = [...rules.quantityTiers, ...Array.from({ length: 3 }, () => null)].slice(
    0,
    Math.max(3, rules.quantityTiers.length + 1),
  );
  return (
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
  );
}

/** How a model turns into grams and hours, per technology. */
export function ProcessSection({ rules }: { rules: PricingRulesView }) {
  return (
    <Section
      id="process"
      title="Process per technology"
      description="How a model turns into grams and hours."
    >
      <div className="space-y-4">
        {TECHNOLOGIES.map((t) => (
          <ProcessFields key={t} prefix={`process.${t}`} values={rules.process[t]} legend={t.toUpperCase()} />
        ))}
      </div>
    </Section>
  );
}
