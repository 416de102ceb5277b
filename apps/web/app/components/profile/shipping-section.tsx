import { Button, Section, TextField } from "@ktizo/ui";
import { useState } from "react";
import { useFormat } from "~/lib/format";
import type { ShopProfileView } from "./types";

/** The shop's shipping options (name, price, days, countries); "Add shipping option" adds a row. */
export function ShippingOptionsSection({
  profile,
  errors: e,
}: {
  profile: ShopProfileView;
  errors: Record<string, string>;
}) {
  const { moneyInput } = useFormat();
  const [shipping, setShipping] = useState(Math.max(profile.shippingOptions.length, 1));
  return (
    <Section id="shipping" title="Shipping options" description={`Prices in ${profile.currency}.`}>
      <input type="hidden" name="shippingCount" value={shipping} />
      <div className="space-y-3">
        {Array.from({ length: shipping }, (_, i) => {
          const o = profile.shippingOptions[i];
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
                defaultValue={o ? moneyInput(o.priceMinor, profile.currency) : ""}
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
                placeholder={`${profile.country} only`}
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
      <Button type="button" variant="secondary" className="mt-3" onClick={() => setShipping((n) => n + 1)}>
        Add shipping option
      </Button>
    </Section>
  );
}
