import { currencyForLocale } from "@ktizo/api/shared";
import {
  applyScale,
  formatPercent,
  MODEL_UNITS,
  type ModelUnit,
  percentForLongestSide,
  scaleLabel,
  suggestScale,
} from "@ktizo/quote";
import { apiFor } from "@ktizo/runtime/remix";
import { Alert, actionErrors, errorCode } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useRevalidator,
  useSearchParams,
} from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { useEffect, useRef } from "react";
import { claimAnonymousUploads, readUploadSession } from "~/components/marketplace/server";
import { ModelFactsCard } from "~/components/quote/model-facts";
import { COMPARE_CURRENCIES, QuoteOptionsForm } from "~/components/quote/quote-options-form";
import { ShopOffers } from "~/components/quote/shop-offers";
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
const asCurrency = (v: string | null): string | null =>
  COMPARE_CURRENCIES.find((c) => c === v?.toUpperCase()) ?? null;

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
  const [params] = useSearchParams();
  const raw = upload.analysis;
  // The model as it will be made: the file's numbers in the chosen unit, times the scale.
  const scaled = applyScale(raw, { unit, percent: scalePercent });
  const a = scaled.ok ? scaled.analysis : raw;
  const scaleNote = scaled.ok ? scaleLabel({ unit, percent: scalePercent }) : null;
  const suggestion = unit === "mm" && scalePercent === 100 ? suggestScale(raw) : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Instant quotes for {upload.fileName}</h1>
      {data?.error ? <Alert tone="error">{data.error}</Alert> : null}
      <div className="grid gap-6 md:grid-cols-[2fr_3fr]">
        <ModelFactsCard uploadId={upload.id} a={a} raw={raw} scaleNote={scaleNote} />
        <QuoteOptionsForm
          choice={{
            quantity,
            quality,
            sort,
            unit,
            scaleText,
            scaleError,
            longestText,
            longestError,
            currency,
          }}
          repricing={repricing}
          suggestion={suggestion}
          raw={raw}
        />
      </div>
      {scaleError ? (
        <Alert tone="error">{scaleError}</Alert>
      ) : shops.length === 0 ? (
        <Alert tone="warning">
          No shop can make this model right now (no printer fits it, or no material is in stock).
        </Alert>
      ) : null}
      <ShopOffers
        shops={shops}
        quantity={quantity}
        quality={quality}
        unit={unit}
        scalePercent={scalePercent}
        repricing={repricing}
        busy={busy}
        signedIn={signedIn}
      />
      {params.get("uploadError") ? <Alert tone="error">{params.get("uploadError")}</Alert> : null}
    </div>
  );
}
