import { apiFor } from "@ktizo/runtime/remix";
import { Alert, Badge, Button, Card, SelectField, TextField } from "@ktizo/ui";
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
import { formatMm, formatVolume, sliceLabel } from "~/components/marketplace/format";
import { ModelPreview } from "~/components/marketplace/model-preview";
import { claimAnonymousUploads, readUploadSession } from "~/components/marketplace/server";
import { useFormat } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Instant quotes · Ktizo" }];

const QUALITIES = ["draft", "standard", "fine"] as const;
type Quality = (typeof QUALITIES)[number];
const asQuality = (v: string | null): Quality => QUALITIES.find((q) => q === v) ?? "standard";
/** How the offers are ordered: the lowest price first, or the earliest delivery first. */
const asSort = (v: string | null): "price" | "delivery" => (v === "delivery" ? "delivery" : "price");
const DAY_MS = 24 * 60 * 60 * 1000;

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
  const now = context.runtime.clock.now().getTime();
  try {
    const uploads = await api.marketplace.uploads.list({ uploadSessionId });
    const upload = uploads.find((u) => u.id === params.uploadId);
    if (!upload) throw new Response("Upload not found", { status: 404 });
    const shops = await api.marketplace.quotes.options({
      uploadId: upload.id,
      quantity,
      quality,
      sort: sort === "delivery" ? "leadTime" : "price",
      uploadSessionId,
    });
    // Each offer's delivery estimate: the shop's lead time from today (shipping follows at checkout).
    const dated = shops.map((shop) => ({
      ...shop,
      shipsBy: new Date(now + shop.leadDays * DAY_MS).toISOString(),
    }));
    return json({ upload, shops: dated, quantity, quality, sort, signedIn: session !== null }, { headers });
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
      uploadSessionId,
    });
    if (!session) return redirect(`/sign-in?redirectTo=${encodeURIComponent(`/cart?add=${quote.id}`)}`);
    await api.marketplace.cart.add({ quoteId: quote.id });
    return redirect("/cart");
  } catch (e) {
    if (e instanceof TRPCError) return json({ error: e.message }, { status: 400 });
    throw e;
  }
}

export default function QuotePage() {
  const { money: formatMoney, date: formatDate } = useFormat();
  const { upload, shops, quantity, quality, sort, signedIn } = useLoaderData<typeof loader>();
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
  const [params] = useSearchParams();
  const a = upload.analysis;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Instant quotes for {upload.fileName}</h1>
      {data?.error ? <Alert tone="error">{data.error}</Alert> : null}
      <div className="grid gap-6 md:grid-cols-[2fr_3fr]">
        <Card>
          <ModelPreview uploadId={upload.id} />
          <dl className="mt-3 grid grid-cols-2 gap-2 text-sm" aria-label="Model facts">
            <dt>Size</dt>
            <dd>
              {formatMm(a.bbox.size.x)} × {formatMm(a.bbox.size.y)} × {formatMm(a.bbox.size.z)}
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
            method="get"
            className="flex flex-wrap items-end gap-3"
            aria-label="Quote options"
            onChange={(event) =>
              reprice(event.currentTarget, (event.target as HTMLElement).tagName === "SELECT" ? 0 : 300)
            }
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
        </Card>
      </div>
      {shops.length === 0 ? (
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
                      <p
                        className={`text-lg font-bold ${repricing ? "opacity-50" : ""}`}
                        data-testid="quote-price"
                      >
                        {formatMoney(o.totalMinor, shop.currency)}
                      </p>
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
