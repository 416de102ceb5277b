import { formatMoney } from "@ktizo/api/shared";
import { useFetcher } from "@remix-run/react";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { priceBasisLabel } from "~/components/marketplace/format";
import {
  AccentButton,
  type ActionResult,
  type CheckoutData,
  ErrorText,
  inputClass,
  labelClass,
  type Message,
  type OrderData,
  type QuoteData,
  type WidgetShop,
} from "./widget-ui";

/**
 * Everything after the server's price, loaded when the first price is asked for: the breakdown, the guest
 * checkout (email and shipping address), the payment (test mode here, or Stripe in a new tab while this
 * form follows the order), and "continue on Ktizo".
 */
export function QuoteResult({
  quote: quoteData,
  fileName,
  uploadId,
  session,
  shop,
  locale,
  countries,
  defaultCountry,
  post,
}: {
  quote: QuoteData;
  fileName: string;
  uploadId: string;
  session: string;
  shop: WidgetShop;
  locale: string;
  countries: { value: string; label: string }[];
  defaultCountry: string;
  post: (message: Message) => void;
}) {
  const ids = useId();
  const [ordering, setOrdering] = useState(false);
  const checkout = useFetcher<ActionResult<CheckoutData>>({ key: `${ids}-checkout` });
  const pay = useFetcher<ActionResult<OrderData>>({ key: `${ids}-pay` });
  const checkoutData = checkout.data?.ok ? checkout.data.data : null;
  const paidOrder = pay.data?.ok && pay.data.data.paid ? pay.data.data : null;
  const money = (minor: number, currency = shop.currency) => formatMoney(minor, currency, locale);

  // Tell the host page once the order is paid (once per order).
  const announcedOrder = useRef<string | null>(null);
  useEffect(() => {
    if (paidOrder && announcedOrder.current !== paidOrder.id) {
      announcedOrder.current = paidOrder.id;
      post({
        type: "ktizo:order-placed",
        order: { orderId: paidOrder.id, totalMinor: paidOrder.totalMinor, currency: paidOrder.currency },
      });
    }
  }, [paidOrder, post]);

  // With Stripe the guest pays in a new tab: follow the order until the payment lands.
  useEffect(() => {
    if (!checkoutData || checkoutData.testMode || paidOrder) return;
    const timer = window.setInterval(() => {
      if (pay.state !== "idle") return;
      pay.submit(
        { intent: "status", orderId: checkoutData.orderId, token: checkoutData.token },
        { method: "post" },
      );
    }, 4000);
    return () => window.clearInterval(timer);
  }, [checkoutData, paidOrder, pay]);

  function placeOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    form.set("intent", "checkout");
    form.set("session", session);
    form.set("quoteId", quoteData.id);
    checkout.submit(form, { method: "post" });
  }

  const checkoutErrors = checkout.data && !checkout.data.ok ? checkout.data : null;
  const fieldError = (name: string) => checkoutErrors?.fieldErrors?.[name] ?? null;

  return (
    <>
      {quoteData ? (
        <section aria-labelledby={`${ids}-step3`} aria-live="polite" className="space-y-2">
          <h2 id={`${ids}-step3`} className="font-semibold">
            3. Your price
          </h2>
          <p className="text-sm">
            {quoteData.quantity} × {fileName} in {quoteData.materialName}
            {quoteData.color ? ` (${quoteData.color})` : ""}, ready to ship in about {quoteData.leadDays}{" "}
            days.
          </p>
          <table className="w-full text-sm">
            <caption className="sr-only">Price breakdown</caption>
            <tbody>
              {quoteData.breakdown.lines.map((l) => (
                <tr key={l.code}>
                  <th scope="row" className="py-0.5 text-left font-normal">
                    {l.label}
                  </th>
                  <td className="text-right tabular-nums">{money(l.amountMinor, quoteData.currency)}</td>
                </tr>
              ))}
              <tr className="border-t border-slate-300 font-semibold dark:border-slate-600">
                <th scope="row" className="py-1 text-left">
                  Total
                </th>
                <td className="text-right tabular-nums" data-testid="quote-total">
                  {money(quoteData.totalMinor, quoteData.currency)}
                </td>
              </tr>
            </tbody>
          </table>
          <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="price-basis">
            {priceBasisLabel(quoteData.basis)}
          </p>
          {!ordering && !checkoutData ? (
            <div className="flex flex-wrap items-center gap-3">
              <AccentButton type="button" onClick={() => setOrdering(true)}>
                Order now
              </AccentButton>
              <form method="post" action="/embed/continue" target="_blank" rel="noopener">
                <input type="hidden" name="session" value={session} />
                <input type="hidden" name="uploadId" value={uploadId} />
                <button type="submit" className="font-medium underline">
                  Continue on Ktizo (opens a new tab)
                </button>
              </form>
            </div>
          ) : null}
        </section>
      ) : null}

      {quoteData && ordering && !checkoutData ? (
        <form onSubmit={placeOrder} aria-labelledby={`${ids}-step4`} className="space-y-3" noValidate>
          <h2 id={`${ids}-step4`} className="font-semibold">
            4. Shipping and contact
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            No account needed: we email your receipt and a link to follow your order.
          </p>
          {checkoutErrors && !checkoutErrors.fieldErrors ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {checkoutErrors.error}
            </p>
          ) : checkoutErrors ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              Check the highlighted fields.
            </p>
          ) : null}
          <div className="grid gap-3 sm:grid-cols-2">
            {(
              [
                ["email", "Email", "email", "email", true],
                ["name", "Full name", "text", "name", true],
                ["line1", "Street address", "text", "address-line1", true],
                ["line2", "Apartment, suite (optional)", "text", "address-line2", false],
                ["city", "City", "text", "address-level2", true],
                ["postalCode", "Postal code", "text", "postal-code", true],
                ["region", "State or region (optional)", "text", "address-level1", false],
              ] as const
            ).map(([name, label, type, autoComplete, required]) => {
              const key = name === "email" ? "email" : `address.${name}`;
              const error = fieldError(key);
              return (
                <div key={name}>
                  <label htmlFor={`${ids}-${name}`} className={labelClass}>
                    {label}
                  </label>
                  <input
                    id={`${ids}-${name}`}
                    name={name}
                    type={type}
                    autoComplete={autoComplete}
                    required={required}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${ids}-${name}-error` : undefined}
                    className={inputClass}
                  />
                  {error ? <ErrorText id={`${ids}-${name}-error`}>{error}</ErrorText> : null}
                </div>
              );
            })}
            <div>
              <label htmlFor={`${ids}-country`} className={labelClass}>
                Country
              </label>
              <select
                id={`${ids}-country`}
                name="country"
                defaultValue={defaultCountry}
                autoComplete="country"
                className={inputClass}
              >
                {countries.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <fieldset className="space-y-1">
            <legend className={labelClass}>Shipping</legend>
            {shop.shippingOptions.map((o, i) => (
              <label key={o.name} className="flex items-center gap-2 text-sm">
                <input type="radio" name="shippingOption" value={o.name} defaultChecked={i === 0} />
                <span>
                  {o.name}: {money(o.priceMinor)}
                  {o.days ? ` (${o.days} days)` : ""}
                </span>
              </label>
            ))}
          </fieldset>
          <AccentButton type="submit" disabled={checkout.state !== "idle"} busy={checkout.state !== "idle"}>
            {checkout.state !== "idle" ? "Placing order…" : "Place order"}
          </AccentButton>
        </form>
      ) : null}

      {checkoutData && !paidOrder ? (
        <section aria-labelledby={`${ids}-step5`} aria-live="polite" className="space-y-2">
          <h2 id={`${ids}-step5`} className="font-semibold">
            5. Payment
          </h2>
          <p className="text-sm">
            Order #{checkoutData.number}: {money(checkoutData.totalMinor, checkoutData.currency)} including
            shipping.
          </p>
          {checkoutData.testMode ? (
            <pay.Form method="post">
              <input type="hidden" name="intent" value="pay-test" />
              <input type="hidden" name="orderId" value={checkoutData.orderId} />
              <input type="hidden" name="token" value={checkoutData.token} />
              <AccentButton type="submit" disabled={pay.state !== "idle"} busy={pay.state !== "idle"}>
                Pay {money(checkoutData.totalMinor, checkoutData.currency)} (test mode)
              </AccentButton>
            </pay.Form>
          ) : (
            <p>
              <a
                href={checkoutData.checkoutUrl}
                target="_blank"
                rel="noopener noreferrer"
                className="font-semibold underline"
              >
                Pay securely with Stripe (opens a new tab)
              </a>
              <span className="block text-sm text-slate-700 dark:text-slate-300">
                This form updates as soon as the payment arrives.
              </span>
            </p>
          )}
          {pay.data && !pay.data.ok ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {pay.data.error}
            </p>
          ) : null}
        </section>
      ) : null}

      {paidOrder ? (
        <section aria-live="polite" className="space-y-2" data-testid="order-placed">
          <h2 className="font-semibold">Thank you! Order #{paidOrder.number} is placed.</h2>
          <p className="text-sm">
            {shop.name} has your order ({money(paidOrder.totalMinor, paidOrder.currency)}). We sent the
            receipt and a link to follow it to {paidOrder.customerEmail}.
          </p>
          {checkoutData ? (
            <a
              href={checkoutData.statusPath}
              target="_blank"
              rel="noopener noreferrer"
              className="text-sm underline"
            >
              Follow your order (opens a new tab)
            </a>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
