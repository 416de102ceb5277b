import { marketplace } from "@ktizo/api";
import { requireSession } from "@ktizo/runtime/remix";
import {
  Alert,
  actionErrors,
  Button,
  Card,
  countryOptions,
  EmptyState,
  SelectField,
  TextField,
} from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { priceBasisLabel } from "~/components/marketplace/format";
import { ScaleNote } from "~/components/marketplace/scale-note";
import { claimAnonymousUploads } from "~/components/marketplace/server";
import { useFormat } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Cart · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, session } = await requireSession(request, context);
  const headers = new Headers();
  // After sign-up or sign-in: the visitor's anonymous uploads (and the quote they chose) become theirs.
  const cleared = await claimAnonymousUploads(request, context, session.userId);
  if (cleared) headers.append("set-cookie", cleared);
  const add = new URL(request.url).searchParams.get("add");
  if (add) {
    try {
      await api.marketplace.cart.add({ quoteId: add });
    } catch (e) {
      if (!(e instanceof TRPCError && e.code === "NOT_FOUND")) throw e;
    }
    return redirect("/cart", { headers });
  }
  const [carts, addresses] = await Promise.all([
    api.marketplace.cart.get(),
    api.marketplace.addresses.list(),
  ]);
  // The first shipping option that delivers to the default address is chosen for the customer, so the
  // form does not open on an option checkout would refuse.
  const home = addresses[0]?.country;
  const defaults = Object.fromEntries(
    carts.map((cart) => [
      cart.organizationId,
      (home
        ? cart.shippingOptions.find((o) => marketplace.optionDeliversTo(o, cart.shopCountry, home))
        : undefined
      )?.name ??
        cart.shippingOptions[0]?.name ??
        "",
    ]),
  );
  return json(
    {
      carts,
      addresses,
      defaults,
      countries: countryOptions(),
      testMode: context.runtime.services.payments.provider === "test-mode",
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  const text = (k: string) => String(form.get(k) ?? "").trim();
  try {
    if (text("intent") === "remove") {
      await api.marketplace.cart.remove({ quoteId: text("quoteId") });
      return redirect("/cart");
    }
    const addressId = text("addressId");
    let savedId = addressId && addressId !== "new" ? addressId : undefined;
    if (!savedId) {
      const saved = await api.marketplace.addresses.save({
        name: text("name"),
        line1: text("line1"),
        line2: text("line2") || null,
        city: text("city"),
        postalCode: text("postalCode"),
        region: text("region") || null,
        country: text("country"),
      });
      savedId = saved.id;
    }
    const { checkoutUrl } = await api.marketplace.checkout({
      organizationId: text("organizationId"),
      addressId: savedId,
      shippingOption: text("shippingOption"),
    });
    return redirect(checkoutUrl);
  } catch (e) {
    if (e instanceof TRPCError) {
      const { formError, fieldErrors } = actionErrors(e, "Check the highlighted fields");
      return json({ error: formError, fieldErrors, shop: text("organizationId") }, { status: 400 });
    }
    throw e;
  }
}

export default function Cart() {
  const { money: formatMoney } = useFormat();
  const { carts, addresses, defaults, countries, testMode } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  if (carts.length === 0) {
    return (
      <EmptyState title="Your cart is empty">
        <Link to="/" className="text-brand-600 hover:underline">
          Upload a model for an instant quote
        </Link>
      </EmptyState>
    );
  }
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Cart</h1>
      {testMode ? <Alert tone="warning">Test mode: payments are simulated, no card is charged.</Alert> : null}
      {carts.map((cart) => (
        <Card key={cart.organizationId}>
          <h2 className="text-lg font-semibold">{cart.shopName}</h2>
          <ul className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
            {cart.items.map((q) => (
              <li key={q.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  {q.fileName} · {q.materialName}
                  {q.color ? ` (${q.color})` : ""} · {q.quality} · × {q.quantity}
                  <span
                    className="block text-xs text-slate-600 dark:text-slate-400"
                    data-testid="price-basis"
                  >
                    {priceBasisLabel(q.basis)}
                  </span>
                  <ScaleNote scale={q.scale} sizeMm={q.sizeMm} testId="cart-scale" />
                  {q.expired ? (
                    <strong className="ml-2 text-red-600">Quote expired: get a new quote</strong>
                  ) : null}
                </span>
                <span className="flex items-center gap-3">
                  <strong>{formatMoney(q.totalMinor, q.currency)}</strong>
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="quoteId" value={q.id} />
                    <Button type="submit" variant="ghost">
                      Remove
                    </Button>
                  </Form>
                </span>
              </li>
            ))}
          </ul>
          <p className="mt-2 text-sm">
            Items {formatMoney(cart.itemsTotalMinor, cart.currency)} (tax{" "}
            {formatMoney(cart.taxMinor, cart.currency)} included)
          </p>
          <Form
            method="post"
            className="mt-4 grid gap-3 sm:grid-cols-2"
            aria-label={`Checkout at ${cart.shopName}`}
          >
            <input type="hidden" name="organizationId" value={cart.organizationId} />
            {data?.shop === cart.organizationId && data.error ? (
              <div className="sm:col-span-2">
                <Alert tone="error">{data.error}</Alert>
              </div>
            ) : null}
            <SelectField
              label="Shipping"
              name="shippingOption"
              defaultValue={defaults[cart.organizationId]}
              error={data?.shop === cart.organizationId ? data.fieldErrors.shippingOption : undefined}
            >
              {cart.shippingOptions.map((o) => (
                <option key={o.name} value={o.name}>
                  {o.name} ({formatMoney(o.priceMinor, cart.currency)}
                  {o.days ? `, ${o.days} days` : ""}; to{" "}
                  {o.countries?.length ? o.countries.join(", ") : cart.shopCountry})
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Ship to"
              name="addressId"
              defaultValue={addresses[0]?.id ?? "new"}
              error={data?.shop === cart.organizationId ? data.fieldErrors.addressId : undefined}
            >
              {addresses.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}, {a.line1}, {a.city}
                </option>
              ))}
              <option value="new">A new address (below)</option>
            </SelectField>
            <fieldset className="grid gap-3 sm:col-span-2 sm:grid-cols-2">
              <legend className="text-sm font-medium">New address</legend>
              <TextField label="Full name" name="name" error={data?.fieldErrors.name} />
              <TextField label="Street address" name="line1" error={data?.fieldErrors.line1} />
              <TextField label="Apartment, suite (optional)" name="line2" />
              <TextField label="City" name="city" error={data?.fieldErrors.city} />
              <TextField label="Postal code" name="postalCode" error={data?.fieldErrors.postalCode} />
              <TextField label="Region (optional)" name="region" />
              <SelectField label="Country" name="country" defaultValue="" error={data?.fieldErrors.country}>
                <option value="">Choose a country…</option>
                {countries.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </SelectField>
            </fieldset>
            <Button
              type="submit"
              disabled={busy || cart.hasExpired}
              className="sm:col-span-2 sm:justify-self-start"
            >
              Checkout and pay
            </Button>
          </Form>
        </Card>
      ))}
    </div>
  );
}
