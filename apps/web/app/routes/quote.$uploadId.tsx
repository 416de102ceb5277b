import { currencyForLocale } from "@ktizo/api/shared";
import {
  applyScale,
  formatPercent,
  MODEL_UNITS,
  type ModelUnit,
  percentForLongestSide,
  scaleLabel,
  suggestScale,
  UNIT_NAMES,
} from "@ktizo/quote";
import { apiFor } from "@ktizo/runtime/remix";
import { Alert, actionErrors, Badge, Button, Card, errorCode, SelectField, TextField } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useRevalidator,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { useEffect, useRef } from "react";
import { formatSize, formatVolume, sliceLabel } from "~/components/marketplace/format";
import { ModelPreview } from "~/components/marketplace/model-preview";
import { claimAnonymousUploads, readUploadSession } from "~/components/marketplace/server";
import { useFormat } from "~/lib/format";
import { visitorLocale } from "~/lib/locale.server";

export const meta: MetaFunction = () => [{ title: "Instant quotes · Ktizo" }];

const QUALITIES = ["draft", "standard", "fine"] as const;
type Quality = (typeof QUALITIES)[number];
const asQuality = (v: string | null): Quality => QUALITIES.find((q) => q === v) ?? "standard";
/** How the offers are ordered: the lowest price first, or the earliest delivery first. */
const asSort = (v: string | null): "price" | "delivery" => (v === "delivery" ? "delivery" : "price");
const DAY_MS = 24 * 60 * 60 * 1000;
const asUnit = (v: string | null): ModelUnit => MODEL_UNITS.find((u) => u === v) ?? "mm";
/** The scale field as typed ("" is 100 %); anything else is the server's to accept or refuse. */
const asPercent = (v: string | null): number => (v === null || v.trim() === "" ? 100 : Number(v.trim()));
/** Currencies a customer can compare prices in (the reference rates cover these). */
const COMPARE_CURRENCIES = [
  "EUR",
  "USD",
  "GBP",
  "CHF",
  "JPY",
  "CAD",
  "AUD",
  "SEK",
  "NOK",
  "DKK",
  "PLN",
  "CZK",
];
const asCurrency = (v: string | null): string | null =>
  COMPARE_CURRENCIES.find((c) => c === v?.toUpperCase()) ?? null;
const UNIT_LABELS: Record<ModelUnit, string> = {
  mm: "Millimetres (mm)",
  cm: "Centimetres (cm)",
  m: "Metres (m)",
  in: "Inches (in)",
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, session } = await apiFor(request, context);
  const headers = new Headers();
  const cleared = await claimAnonymousUploads(request, context, session?.userId ?? null);
  if (cleared) headers.append("set-cookie", cleared);
  const uploadSessionId = session ? undefined : await readUploadSession(request, context);
  const url = new URL(request.url);
  const quantity = Math.min(
    10_000,
    Math.max(1, Number.parseInt(url.searchParams.get("quantity") ?? "1", 10) || 1),
  );
  const quality = asQuality(url.searchParams.get("quality"));
  const sort = asSort(url.searchParams.get("sort"));
  const unit = asUnit(url.searchParams.get("unit"));
  const scalePercent = asPercent(url.searchParams.get("scale"));
  // The customer's currency: chosen on the page, else their locale's (Accept-Language), else the euro.
  const currency =
    asCurrency(url.searchParams.get("currency")) ?? currencyForLocale(visitorLocale(request)) ?? "EUR";
  const now = context.runtime.clock.now().getTime();
  try {
    const uploads = await api.marketplace.uploads.list({ uploadSessionId });
    const upload = uploads.find((u) => u.id === params.uploadId);
    if (!upload) throw new Response("Upload not found", { status: 404 });
    // "Longest side: 120 mm" becomes the percent that makes it so; the page then shows that percent.
    const longest = url.searchParams.get("longest")?.trim();
    const longestError = longest ? "The longest side is a size in millimetres, more than 0" : null;
    if (longest) {
      const percent = percentForLongestSide(upload.analysis, unit, Number(longest));
      if (percent !== null) {
        const next = new URLSearchParams(url.searchParams);
        next.delete("longest");
        next.set("scale", formatPercent(percent));
        throw redirect(`${url.pathname}?${next.toString()}`, { headers });
      }
    }
    const choice = {
      unit,
      scaleText: url.searchParams.get("scale") ?? "100",
      scalePercent,
      currency,
      longestText: longest ?? "",
      longestError,
    };
    let shops: Awaited<ReturnType<typeof api.marketplace.quotes.options>>;
    try {
      shops = await api.marketplace.quotes.options({
        uploadId: upload.id,
        quantity,
        quality,
        sort: sort === "delivery" ? "leadTime" : "price",
        unit,
        scalePercent,
        currency,
        uploadSessionId,
      });
    } catch (e) {
      // A scale the model cannot be made at: the page stays, with the reason beside the scale field.
      if (errorCode(e) !== "BAD_REQUEST") throw e;
      const errors = actionErrors(e);
      const scaleError = errors.fieldErrors.scalePercent ?? errors.formError ?? "This scale cannot be quoted";
      return json(
        { upload, shops: [], quantity, quality, sort, signedIn: session !== null, ...choice, scaleError },
        { headers },
      );
    }
    // Each offer's delivery estimate: the shop's lead time from today (shipping follows at checkout).
    const dated = shops.map((shop) => ({
      ...shop,
      shipsBy: new Date(now + shop.leadDays * DAY_MS).toISOString(),
    }));
    return json(
      {
        upload,
        shops: dated,
        quantity,
        quality,
        sort,
        signedIn: session !== null,
        ...choice,
        scaleError: null as string | null,
      },
      { headers },
    );
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND")
      throw new Response("Upload not found", { status: 404 });
    throw e;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, session } = await apiFor(request, context);
  const form = await request.formData();
  const uploadSessionId = session ? undefined : await readUploadSession(request, context);
  try {
    const quote = await api.marketplace.quotes.create({
      uploadId: params.uploadId ?? "",
      shopSlug: String(form.get("shopSlug") ?? ""),
      materialId: String(form.get("materialId") ?? ""),
      color: String(form.get("color") ?? "") || null,
      quality: asQuality(String(form.get("quality"))),
      quantity: Number.parseInt(String(form.get("quantity") ?? "1"), 10) || 1,
      unit: asUnit(String(form.get("unit"))),
      scalePercent: asPercent(String(form.get("scalePercent") ?? "")),
      uploadSessionId,
    });
    if (!session) return redirect(`/sign-in?redirectTo=${encodeURIComponent(`/cart?add=${quote.id}`)}`);
    await api.marketplace.cart.add({ quoteId: quote.id });
    return redirect("/cart");
  } catch (e) {
    if (e instanceof TRPCError) {
      const errors = actionErrors(e, e.message);
      return json(
        { error: errors.formError ?? Object.values(errors.fieldErrors).join(" ") },
        { status: 400 },
      );
    }
    throw e;
  }
}

export default function QuotePage() {
  const { money: formatMoney, date: formatDate } = useFormat();
  const {
    upload,
    shops,
    quantity,
    quality,
    sort,
    signedIn,
    unit,
    scaleText,
    scalePercent,
    currency,
    scaleError,
    longestText,
    longestError,
  } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const location = useLocation();
  // Prices follow the options as they change: the options form is submitted (GET) and the server
  // prices again with each shop's rules. Without scripts the "Update prices" button does the same.
  const repricing = navigation.state === "loading" && navigation.location?.pathname === location.pathname;
  const submit = useSubmit();
  // Slicing runs in workers after the instant estimate: while an option is still estimated (and not
  // refused by the slicer), ask again every 5 s for two minutes so "sliced" appears without a reload.
  const revalidator = useRevalidator();
  const latestRevalidator = useRef(revalidator);
  latestRevalidator.current = revalidator;
  const waitingForSlice = shops.some((s) => s.options.some((o) => o.basis === "estimated" && !o.sliceNote));
  useEffect(() => {
    if (!waitingForSlice) return;
    let polls = 0;
    const poll = window.setInterval(() => {
      const r = latestRevalidator.current;
      if (++polls > 24) window.clearInterval(poll);
      else if (r.state === "idle") r.revalidate();
    }, 5000);
    return () => window.clearInterval(poll);
  }, [waitingForSlice]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const reprice = (form: HTMLFormElement, delayMs: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!form.checkValidity()) return;
      submit(form, { method: "get", replace: true, preventScrollReset: true });
    }, delayMs);
  };
  // The scale field follows the page when the server chose the percent (a longest side, the suggestion),
  // but never while the customer is typing in it.
  const optionsForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const field = optionsForm.current?.elements.namedItem("scale");
    if (field instanceof HTMLInputElement && document.activeElement !== field) field.value = scaleText;
  }, [scaleText]);
  const [params] = useSearchParams();
  const raw = upload.analysis;
  // The model as it will be made: the file's numbers in the chosen unit, times the scale.
  const scaled = applyScale(raw, { unit, percent: scalePercent });
  const a = scaled.ok ? scaled.analysis : raw;
  const scaleNote = scaled.ok ? scaleLabel({ unit, percent: scalePercent }) : null;
  const suggestion = unit === "mm" && scalePercent === 100 ? suggestScale(raw) : null;
  const withChoice = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    return `?${next.toString()}`;
  };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Instant quotes for {upload.fileName}</h1>
      {data?.error ? <Alert tone="error">{data.error}</Alert> : null}
      <div className="grid gap-6 md:grid-cols-[2fr_3fr]">
        <Card>
          <ModelPreview
            uploadId={upload.id}
            caption={`${formatSize(a.bbox.size)}${scaleNote ? ` · ${scaleNote}` : ""}`}
          />
          <dl className="mt-3 grid grid-cols-2 gap-2 text-sm" aria-label="Model facts">
            <dt>Size</dt>
            <dd data-testid="model-size">
              {formatSize(a.bbox.size)}
              {scaleNote ? (
                <span className="block text-xs text-slate-600 dark:text-slate-400">
                  {scaleNote} (file: {formatSize(raw.bbox.size)})
                </span>
              ) : null}
            </dd>
            <dt>Volume</dt>
            <dd>{formatVolume(a.volumeMm3)}</dd>
            <dt>Printability</dt>
            <dd>
              {a.watertight ? (
                <Badge tone="green">Watertight</Badge>
              ) : (
                <Badge tone="amber">Not watertight: the shop may need to repair it</Badge>
              )}
            </dd>
          </dl>
        </Card>
        <Card>
          <Form
            ref={optionsForm}
            method="get"
            className="flex flex-wrap items-end gap-3"
            aria-label="Quote options"
            onChange={(event) => {
              const field = event.target as HTMLInputElement;
              // A wanted size is applied once typed (on leaving the field or Enter), not per keystroke.
              if (field.name === "longest") return;
              reprice(event.currentTarget, field.tagName === "SELECT" ? 0 : 300);
            }}
          >
            <TextField
              label="Quantity"
              name="quantity"
              type="number"
              min={1}
              max={10000}
              defaultValue={quantity}
              className="w-28"
            />
            <SelectField label="Quality" name="quality" defaultValue={quality}>
              <option value="draft">Draft (coarse layers)</option>
              <option value="standard">Standard</option>
              <option value="fine">Fine (thin layers)</option>
            </SelectField>
            <SelectField label="Sort by" name="sort" defaultValue={sort}>
              <option value="price">Lowest price</option>
              <option value="delivery">Earliest delivery</option>
            </SelectField>
            <SelectField label="File units" name="unit" defaultValue={unit} key={`unit-${unit}`}>
              {MODEL_UNITS.map((u) => (
                <option key={u} value={u}>
                  {UNIT_LABELS[u]}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Scale (%)"
              name="scale"
              type="number"
              min={1}
              max={10000}
              step="any"
              inputMode="decimal"
              defaultValue={scaleText}
              className="w-28"
              error={scaleError ?? undefined}
            />
            <TextField
              label="or longest side (mm)"
              name="longest"
              type="number"
              min={0.5}
              max={2000}
              step="any"
              inputMode="decimal"
              defaultValue={longestText}
              key={`longest-${scaleText}`}
              className="w-36"
              onBlur={(event) => {
                if (event.currentTarget.value.trim() && event.currentTarget.form)
                  reprice(event.currentTarget.form, 0);
              }}
              error={longestError ?? undefined}
            />
            <SelectField label="Compare prices in" name="currency" defaultValue={currency}>
              {COMPARE_CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </SelectField>
            <Button type="submit" variant="secondary">
              Update prices
            </Button>
          </Form>
          <p
            className="mt-2 text-xs text-slate-600 dark:text-slate-400"
            aria-live="polite"
            data-testid="pricing-state"
          >
            {repricing
              ? "Updating prices…"
              : "Prices are computed on our server by each shop's rules, tax included, shipping at checkout. They update as you change the options."}
          </p>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            STL and OBJ files do not say their units: choose what the file's numbers mean, then scale if you
            want it larger or smaller. Each shop charges in its own currency; amounts marked ≈ are converted
            at the stated day's reference rate, only for comparison.
          </p>
          {suggestion ? (
            <div
              className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800"
              data-testid="scale-suggestion"
              role="status"
            >
              <p>
                At {formatSize(raw.bbox.size)} this model is tiny. {suggestion.message}
              </p>
              <Link
                to={withChoice({ unit: suggestion.unit, scale: "100" })}
                replace
                preventScrollReset
                className="mt-2 inline-block rounded-md bg-amber-700 px-3 py-1.5 font-medium text-white hover:bg-amber-800 dark:bg-amber-400 dark:hover:bg-amber-300 dark:text-slate-950"
              >
                Quote in {UNIT_NAMES[suggestion.unit]}
              </Link>
            </div>
          ) : null}
        </Card>
      </div>
      {scaleError ? (
        <Alert tone="error">{scaleError}</Alert>
      ) : shops.length === 0 ? (
        <Alert tone="warning">
          No shop can make this model right now (no printer fits it, or no material is in stock).
        </Alert>
      ) : null}
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
                        <p
                          className="text-xs text-slate-600 dark:text-slate-400"
                          data-testid="option-delivery"
                        >
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
      {params.get("uploadError") ? <Alert tone="error">{params.get("uploadError")}</Alert> : null}
    </div>
  );
}
