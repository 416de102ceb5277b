import { marketplace } from "@ktizo/api";
import { apiFor } from "@ktizo/runtime/remix";
import { actionErrors, countryOptions } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  type HeadersFunction,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { useEffect } from "react";
import { QuoteWidget } from "~/components/embed/quote-widget";
import { embedHeaders, isTestMode, payGuestOrderInTestMode } from "~/components/embed/server";
import { visitorLocale } from "~/lib/locale.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "shop" in data ? `Instant quote · ${data.shop.name}` : "Instant quote · Ktizo" },
];

/** Only this route's own policy: the loader decides who may frame the page. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/**
 * The shop widget's page, framed by the loader (`/widget.js`) on the shop's own site. It renders only
 * when `host` (the framing page's origin, as the loader reports it) is one of the shop's allowed sites,
 * and then sends `frame-ancestors` with exactly those sites, so a browser refuses the page inside any
 * other site even if it lies about `host`. Anywhere else it renders a short refusal that says why.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const host = marketplace.canonicalOrigin(url.searchParams.get("host"));
  const { api } = await apiFor(request, context);
  let shop: marketplace.EmbedShopView;
  try {
    shop = await api.marketplace.embed.shop({ slug: params.slug ?? "" });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") {
      return json(
        { kind: "unavailable" as const },
        { status: 404, headers: embedHeaders("frame-ancestors *") },
      );
    }
    throw e;
  }
  if (!host || !marketplace.isAllowedHost(shop.allowedOrigins, host)) {
    // A refusal carries nothing but the shop's name, so it may show inside any site.
    return json(
      { kind: "refused" as const, shopName: shop.name, host },
      { status: 403, headers: embedHeaders("frame-ancestors *") },
    );
  }
  const locale = visitorLocale(request);
  const region = (() => {
    try {
      return new Intl.Locale(locale).maximize().region ?? "US";
    } catch {
      return "US";
    }
  })();
  const { allowedOrigins: _allowed, ...publicShop } = shop;
  return json(
    {
      kind: "widget" as const,
      shop: publicShop,
      host,
      locale,
      testMode: isTestMode(context),
      maxUploadMb: context.runtime.settings.app.MARKETPLACE_MAX_UPLOAD_MB,
      countries: countryOptions(),
      defaultCountry: region,
    },
    { headers: embedHeaders(marketplace.frameAncestors(shop.allowedOrigins)) },
  );
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};
const optional = (form: FormData, name: string) => text(form, name).trim() || null;

/** The widget's steps, each one call of the marketplace's embed router (JSON for the page's fetchers). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await apiFor(request, context);
  const form = await request.formData();
  const intent = text(form, "intent");
  const slug = params.slug ?? "";
  const session = text(form, "session");
  const noStore = { "cache-control": "no-store" };
  const answer = <T,>(data: T) => json({ ok: true as const, data }, { headers: noStore });
  try {
    switch (intent) {
      case "options":
        return answer(
          await api.marketplace.embed.options({
            slug,
            uploadSessionId: session,
            uploadId: text(form, "uploadId"),
            quantity: Number(text(form, "quantity")) || 1,
            quality: text(form, "quality") as "standard",
          }),
        );
      case "quote":
        return answer(
          await api.marketplace.embed.quote({
            slug,
            uploadSessionId: session,
            uploadId: text(form, "uploadId"),
            materialId: text(form, "materialId"),
            color: optional(form, "color"),
            quantity: Number(text(form, "quantity")),
            quality: text(form, "quality") as "standard",
          }),
        );
      case "checkout":
        return answer(
          await api.marketplace.embed.checkout({
            slug,
            uploadSessionId: session,
            quoteId: text(form, "quoteId"),
            email: text(form, "email"),
            address: {
              name: text(form, "name"),
              line1: text(form, "line1"),
              line2: optional(form, "line2"),
              city: text(form, "city"),
              postalCode: text(form, "postalCode"),
              region: optional(form, "region"),
              country: text(form, "country"),
            },
            shippingOption: text(form, "shippingOption"),
          }),
        );
      case "pay-test":
        return answer(
          await payGuestOrderInTestMode(context, api, {
            orderId: text(form, "orderId"),
            token: text(form, "token"),
          }),
        );
      case "status":
        return answer(
          await api.marketplace.embed.order({
            orderId: text(form, "orderId"),
            token: text(form, "token"),
          }),
        );
      default:
        return json({ ok: false as const, error: "Unknown action" }, { status: 400, headers: noStore });
    }
  } catch (e) {
    if (e instanceof Response) {
      return json({ ok: false as const, error: await e.text() }, { status: e.status, headers: noStore });
    }
    if (e instanceof TRPCError) {
      const { formError, fieldErrors } = actionErrors(e, "Check the highlighted fields");
      const status = e.code === "TOO_MANY_REQUESTS" ? 429 : e.code === "NOT_FOUND" ? 404 : 400;
      return json(
        {
          ok: false as const,
          error: formError ?? "Check the highlighted fields",
          ...(Object.keys(fieldErrors).length ? { fieldErrors } : {}),
        },
        { status, headers: noStore },
      );
    }
    throw e;
  }
}

function Refusal({ title, children }: { title: string; children: React.ReactNode }) {
  useEffect(() => {
    // Still size the frame so the message is readable (no host to trust: the size is not a secret).
    window.parent?.postMessage({ type: "ktizo:resize", height: 200 }, "*");
  }, []);
  return (
    <main id="main" className="p-4 text-slate-900 dark:text-slate-100">
      <h1 className="text-lg font-bold">{title}</h1>
      <p className="mt-2 text-sm">{children}</p>
    </main>
  );
}

export default function EmbedQuote() {
  const data = useLoaderData<typeof loader>();
  if (data.kind === "unavailable") {
    return (
      <Refusal title="This quote form is not available">
        The shop has switched its instant-quote form off, or the shop does not exist.
      </Refusal>
    );
  }
  if (data.kind === "refused") {
    return (
      <Refusal title="This quote form cannot be shown here">
        {data.shopName}'s instant-quote form is only shown on the shop's own website
        {data.host ? ` and not on ${data.host}` : ""}. Visit the shop's website to get a quote.
      </Refusal>
    );
  }
  return (
    <main id="main">
      <QuoteWidget
        shop={data.shop}
        host={data.host}
        locale={data.locale}
        testMode={data.testMode}
        maxUploadMb={data.maxUploadMb}
        countries={data.countries}
        defaultCountry={data.defaultCountry}
      />
    </main>
  );
}
