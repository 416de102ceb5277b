import { formatPercent, type ModelUnit } from "@ktizo/quote";
import { Button, Card, SelectField } from "@ktizo/ui";
import { Form, Link } from "@remix-run/react";
import { sliceLabel } from "~/components/marketplace/format";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";

/** A shop's offer for the model (marketplace.quotes.options), with the day it ships by. */
export type ShopOffer = Served<RouterOutputs["marketplace"]["quotes"]["options"]>[number] & {
  shipsBy: string;
};

/** Each shop that can make the model, with one add-to-cart form per material. */
export function ShopOffers({
  shops,
  quantity,
  quality,
  unit,
  scalePercent,
  repricing,
  busy,
  signedIn,
}: {
  shops: ShopOffer[];
  quantity: number;
  quality: string;
  unit: ModelUnit;
  scalePercent: number;
  repricing: boolean;
  busy: boolean;
  signedIn: boolean;
}) {
  const { money: formatMoney, date: formatDate } = useFormat();
  return (
    <ul className="space-y-4" aria-label="Shops that can make it">
      {shops.map((shop) => (
        <li key={shop.slug}>
          <Card>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="text-lg font-semibold">
                <Link to={`/shops/${shop.slug}`} className="hover:underline">
                  {shop.name}
                </Link>
              </h2>
              <span className="text-sm text-slate-600">
                {shop.country} · ships in {shop.leadDays} days
                {shop.rating !== null ? ` · ★ ${shop.rating.toFixed(1)}` : ""}
              </span>
            </div>
            <ul className="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
              {shop.options.map((o) => (
                <li key={o.materialId} className="py-3">
                  <Form
                    method="post"
                    className="flex flex-wrap items-end gap-3"
                    aria-label={`${shop.name} ${o.materialName}`}
                  >
                    <input type="hidden" name="shopSlug" value={shop.slug} />
                    <input type="hidden" name="materialId" value={o.materialId} />
                    <input type="hidden" name="quantity" value={quantity} />
                    <input type="hidden" name="quality" value={quality} />
                    <input type="hidden" name="unit" value={unit} />
                    <input type="hidden" name="scalePercent" value={formatPercent(scalePercent)} />
                    <div className="min-w-48 flex-1">
                      <p className="font-medium">
                        {o.materialName}{" "}
                        <span className="text-xs text-slate-500">({o.technology.toUpperCase()})</span>
                      </p>
                      <p
                        className="text-xs text-slate-600 dark:text-slate-400"
                        data-testid="option-printability"
                      >
                        {o.printability.printable ? "Printable" : "Needs attention"} on {o.printerName}
                        {o.printability.orientation ? ` (${o.printability.orientation.rotation})` : ""}
                      </p>
                      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="option-delivery">
                        Ships in {shop.leadDays} {shop.leadDays === 1 ? "day" : "days"}, by{" "}
                        {formatDate(shop.shipsBy)}
                      </p>
                      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="option-basis">
                        {sliceLabel(o)}
                      </p>
                      {o.printability.issues.length > 0 ? (
                        <ul className="text-xs text-amber-700 dark:text-amber-300">
                          {o.printability.issues.map((issue) => (
                            <li key={issue.code}>{issue.message}</li>
                          ))}
                        </ul>
                      ) : null}
                      <details className="text-xs text-slate-600">
                        <summary>Price breakdown</summary>
                        <ul>
                          {o.breakdown.lines.map((l) => (
                            <li key={l.label}>
                              {l.label}: {formatMoney(l.amountMinor, o.breakdown.currency)}
                            </li>
                          ))}
                          {/* The lines carry the tax line already (when the shop charges tax). */}
                          <li className="font-semibold">
                            Total: {formatMoney(o.breakdown.totalMinor, o.breakdown.currency)}
                          </li>
                        </ul>
                      </details>
                    </div>
                    {o.colors.length > 0 ? (
                      <SelectField label="Color" name="color" className="w-36">
                        {o.colors.map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </SelectField>
                    ) : null}
                    <div className="text-right">
                      <p
                        className={`text-lg font-bold ${repricing ? "opacity-50" : ""}`}
                        data-testid="quote-price"
                      >
                        {formatMoney(o.totalMinor, shop.currency)}
                      </p>
                      {o.converted ? (
                        <p
                          className="text-xs text-slate-600 dark:text-slate-400"
                          data-testid="quote-converted"
                        >
                          ≈ {formatMoney(o.converted.amountMinor, o.converted.currency)} (rate of{" "}
                          {o.converted.rateDate})<span className="block">charged in {shop.currency}</span>
                        </p>
                      ) : null}
                    </div>
                    <Button type="submit" disabled={busy}>
                      {signedIn ? "Add to cart" : "Order (sign in)"}
                    </Button>
                  </Form>
                </li>
              ))}
            </ul>
          </Card>
        </li>
      ))}
    </ul>
  );
}
