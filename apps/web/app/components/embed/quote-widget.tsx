import { useFetcher } from "@remix-run/react";
import {
  type CSSProperties,
  type FormEvent,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { formatCm3, formatMm, formatMoney, textOn } from "./format";

// three.js and the viewer load only once there is a model to show (not in the page's first scripts).
const ModelPreview = lazy(() =>
  import("~/components/marketplace/model-preview").then((m) => ({ default: m.ModelPreview })),
);

export interface WidgetShop {
  slug: string;
  name: string;
  logo: string | null;
  accentColor: string;
  greeting: string;
  showPrices: boolean;
  currency: string;
  materials: { id: string; name: string; kind: string; colors: string[] }[];
  shippingOptions: { name: string; priceMinor: number; days: number | null }[];
}

interface UploadResult {
  id: string;
  fileName: string;
  sizeBytes: number;
  analysis: { volumeMm3: number; watertight: boolean; bbox: { size: { x: number; y: number; z: number } } };
}

interface OptionsData {
  currency: string;
  options: {
    materialId: string;
    materialName: string;
    colors: string[];
    totalMinor: number | null;
    warnings: string[];
  }[];
}

interface QuoteData {
  id: string;
  materialName: string;
  color: string | null;
  quantity: number;
  currency: string;
  totalMinor: number;
  leadDays: number;
  breakdown: {
    lines: { code: string; label: string; amountMinor: number }[];
    subtotalMinor: number;
    taxMinor: number;
    totalMinor: number;
  };
}

interface CheckoutData {
  orderId: string;
  number: number;
  token: string;
  statusPath: string;
  checkoutUrl: string;
  testMode: boolean;
  totalMinor: number;
  currency: string;
}

interface OrderData {
  id: string;
  number: number;
  status: string;
  statusLabel: string;
  paid: boolean;
  totalMinor: number;
  currency: string;
  customerEmail: string;
}

type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

type Message =
  | { type: "ktizo:resize"; height: number }
  | { type: "ktizo:quote-ready"; quote: { totalMinor: number; currency: string; quoteId: string } }
  | { type: "ktizo:order-placed"; order: { orderId: string; totalMinor: number; currency: string } };

/** Posts to the host page, and only to the origin the server checked against the shop's allowed sites. */
function useHost(host: string) {
  return useCallback(
    (message: Message) => {
      if (window.parent !== window) window.parent.postMessage(message, host);
    },
    [host],
  );
}

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100";
const labelClass = "block text-sm font-medium text-slate-800 dark:text-slate-200";

function AccentButton({
  children,
  busy,
  ...props
}: { children: ReactNode; busy?: boolean } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      {...props}
      aria-busy={busy || undefined}
      className="inline-flex items-center justify-center rounded-md px-4 py-2 font-semibold shadow-sm outline-offset-2 focus-visible:outline focus-visible:outline-2 disabled:opacity-60"
      style={{
        background: "var(--ktizo-accent)",
        color: "var(--ktizo-on-accent)",
        outlineColor: "var(--ktizo-accent)",
      }}
    >
      {children}
    </button>
  );
}

function ErrorText({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-300">
      {children}
    </p>
  );
}

/**
 * The shop's instant-quote form inside its own website: drop a model → progress → 3D preview and size →
 * the shop's materials, colors and quantity → the server's price → guest checkout (or continue on Ktizo).
 * No cookies: the guest's upload session lives in this page's memory and goes with every request.
 */
export function QuoteWidget({
  shop,
  host,
  locale,
  testMode,
  maxUploadMb,
  countries,
  defaultCountry,
}: {
  shop: WidgetShop;
  host: string;
  locale: string;
  testMode: boolean;
  maxUploadMb: number;
  countries: { value: string; label: string }[];
  defaultCountry: string;
}) {
  const post = useHost(host);
  const root = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();
  const [session, setSession] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [upload, setUpload] = useState<UploadResult | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [materialId, setMaterialId] = useState<string>("");
  const [color, setColor] = useState<string>("");
  const [quantity, setQuantity] = useState(1);
  const [quality, setQuality] = useState("standard");
  const [ordering, setOrdering] = useState(false);
  const options = useFetcher<ActionResult<OptionsData>>({ key: `${ids}-options` });
  const quote = useFetcher<ActionResult<QuoteData>>({ key: `${ids}-quote` });
  const checkout = useFetcher<ActionResult<CheckoutData>>({ key: `${ids}-checkout` });
  const pay = useFetcher<ActionResult<OrderData>>({ key: `${ids}-pay` });
  const money = (minor: number, currency = shop.currency) => formatMoney(minor, currency, locale);

  // Size the frame to the content, on every change of height.
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const send = () =>
      post({ type: "ktizo:resize", height: Math.ceil(el.getBoundingClientRect().height) + 2 });
    send();
    const observer = new ResizeObserver(send);
    observer.observe(el);
    return () => observer.disconnect();
  }, [post]);

  // The loader forwards the host page's color-scheme changes; only from the parent, only from the host.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || event.origin !== host) return;
      const data = event.data as { type?: unknown; scheme?: unknown } | null;
      if (data?.type === "ktizo:color-scheme" && (data.scheme === "dark" || data.scheme === "light")) {
        document.documentElement.classList.toggle("dark", data.scheme === "dark");
      }
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [host]);

  const optionsData = options.data?.ok ? options.data.data : null;
  const quoteData = quote.data?.ok ? quote.data.data : null;
  const checkoutData = checkout.data?.ok ? checkout.data.data : null;
  const paidOrder = pay.data?.ok && pay.data.data.paid ? pay.data.data : null;

  // Announce the quote and the placed order to the host page once each.
  const announcedQuote = useRef<string | null>(null);
  useEffect(() => {
    if (quoteData && announcedQuote.current !== quoteData.id) {
      announcedQuote.current = quoteData.id;
      post({
        type: "ktizo:quote-ready",
        quote: { quoteId: quoteData.id, totalMinor: quoteData.totalMinor, currency: quoteData.currency },
      });
    }
  }, [quoteData, post]);
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

  const requestOptions = useCallback(
    (uploadId: string, s: string, q: number, ql: string) =>
      options.submit(
        { intent: "options", session: s, uploadId, quantity: String(q), quality: ql },
        { method: "post" },
      ),
    [options],
  );

  // Pick the first offered material (the shop's default comes first) once the options arrive.
  useEffect(() => {
    if (!optionsData) return;
    const current = optionsData.options.find((o) => o.materialId === materialId);
    const chosen = current ?? optionsData.options[0];
    if (!chosen) return;
    if (!current) setMaterialId(chosen.materialId);
    if (color && !chosen.colors.includes(color)) setColor(chosen.colors[0] ?? "");
    if (!color && chosen.colors.length) setColor(chosen.colors[0] ?? "");
  }, [optionsData, materialId, color]);

  function send(picked: File) {
    setFile(picked);
    setUpload(null);
    setUploadError(null);
    setProgress(0);
    const body = new FormData();
    body.append("file", picked);
    if (session) body.append("session", session);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/embed/upload/${shop.slug}`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let data: { upload?: UploadResult; uploadSessionId?: string; error?: string } = {};
      try {
        data = JSON.parse(xhr.responseText) as typeof data;
      } catch {
        data = { error: "The server could not read this file" };
      }
      setProgress(null);
      if (data.upload && data.uploadSessionId) {
        setSession(data.uploadSessionId);
        setUpload(data.upload);
        requestOptions(data.upload.id, data.uploadSessionId, quantity, quality);
      } else {
        setUploadError(data.error ?? "Upload failed");
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setUploadError("The upload was interrupted; try again");
    };
    xhr.send(body);
  }

  function onFiles(list: FileList | null) {
    const picked = list?.[0];
    if (picked) send(picked);
  }

  function askQuote(event: FormEvent) {
    event.preventDefault();
    if (!upload || !session) return;
    setOrdering(false);
    quote.submit(
      {
        intent: "quote",
        session,
        uploadId: upload.id,
        materialId,
        color,
        quantity: String(quantity),
        quality,
      },
      { method: "post" },
    );
  }

  function placeOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!quoteData || !session) return;
    const form = new FormData(event.currentTarget);
    form.set("intent", "checkout");
    form.set("session", session);
    form.set("quoteId", quoteData.id);
    checkout.submit(form, { method: "post" });
  }

  const style = {
    "--ktizo-accent": shop.accentColor,
    "--ktizo-on-accent": textOn(shop.accentColor),
  } as CSSProperties;
  const selected = optionsData?.options.find((o) => o.materialId === materialId) ?? null;
  const checkoutErrors = checkout.data && !checkout.data.ok ? checkout.data : null;
  const fieldError = (name: string) => checkoutErrors?.fieldErrors?.[name] ?? null;
  const logo = shop.logo && /^(data:image\/|\/)/.test(shop.logo) ? shop.logo : null;

  return (
    <div ref={root} style={style} className="space-y-5 p-4 text-slate-900 dark:text-slate-100">
      <header className="flex items-center gap-3">
        {logo ? (
          <img src={logo} alt="" className="h-10 w-10 rounded object-contain" />
        ) : (
          <span
            aria-hidden="true"
            className="flex h-10 w-10 items-center justify-center rounded font-bold"
            style={{ background: "var(--ktizo-accent)", color: "var(--ktizo-on-accent)" }}
          >
            {shop.name.slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
          <h1 className="text-lg font-bold">{shop.name}: instant 3D printing quote</h1>
          <p className="text-sm text-slate-700 dark:text-slate-300">{shop.greeting}</p>
        </div>
      </header>

      {testMode ? (
        <p className="rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          Test mode: payments are simulated. No card is charged.
        </p>
      ) : null}

      <section aria-labelledby={`${ids}-step1`} className="space-y-2">
        <h2 id={`${ids}-step1`} className="font-semibold">
          1. Your model
        </h2>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target wraps a real, labelled file input */}
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            onFiles(e.dataTransfer.files);
          }}
          className={`rounded-lg border-2 border-dashed p-4 text-center ${over ? "border-slate-900 dark:border-white" : "border-slate-400"}`}
        >
          <label htmlFor={`${ids}-file`} className="cursor-pointer font-medium underline">
            Choose a model file
          </label>{" "}
          <span className="text-slate-700 dark:text-slate-300">
            or drop it here (STL, 3MF or OBJ, up to {maxUploadMb} MB)
          </span>
          <input
            ref={fileInput}
            id={`${ids}-file`}
            name="file"
            type="file"
            accept=".stl,.3mf,.obj"
            className="sr-only"
            aria-describedby={uploadError ? `${ids}-upload-error` : undefined}
            onChange={(e) => onFiles(e.currentTarget.files)}
          />
        </div>
        <div aria-live="polite">
          {progress !== null ? (
            <div>
              <p className="text-sm">
                {progress < 100 ? `Uploading ${file?.name ?? ""}…` : "Checking the model…"}
              </p>
              <div
                role="progressbar"
                aria-label="Upload progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={progress}
                className="mt-1 h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
              >
                <div
                  className="h-full"
                  style={{ width: `${progress}%`, background: "var(--ktizo-accent)" }}
                />
              </div>
            </div>
          ) : null}
          {uploadError ? (
            <p id={`${ids}-upload-error`} role="alert" className="text-sm text-red-700 dark:text-red-300">
              {uploadError}
            </p>
          ) : null}
        </div>
        {upload ? (
          <div className="grid gap-3 sm:grid-cols-2">
            <Suspense
              fallback={<div className="aspect-[4/3] w-full rounded-md bg-slate-100 dark:bg-slate-800" />}
            >
              <ModelPreview uploadId={upload.id} file={file ?? undefined} />
            </Suspense>
            <dl className="grid grid-cols-2 content-start gap-x-3 gap-y-1 text-sm" aria-label="Model size">
              <dt className="font-medium">File</dt>
              <dd className="break-all">{upload.fileName}</dd>
              <dt className="font-medium">Size</dt>
              <dd data-testid="dimensions">
                {formatMm(upload.analysis.bbox.size.x, locale)} ×{" "}
                {formatMm(upload.analysis.bbox.size.y, locale)} ×{" "}
                {formatMm(upload.analysis.bbox.size.z, locale)}
              </dd>
              <dt className="font-medium">Volume</dt>
              <dd>{formatCm3(upload.analysis.volumeMm3, locale)}</dd>
              {!upload.analysis.watertight ? (
                <dd className="col-span-2 text-amber-800 dark:text-amber-200">
                  The mesh has holes; the shop may contact you before printing.
                </dd>
              ) : null}
            </dl>
          </div>
        ) : null}
      </section>

      {upload && session ? (
        <form onSubmit={askQuote} aria-labelledby={`${ids}-step2`} className="space-y-3">
          <h2 id={`${ids}-step2`} className="font-semibold">
            2. Material, color and quantity
          </h2>
          {options.data && !options.data.ok ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {options.data.error}
            </p>
          ) : null}
          {optionsData && optionsData.options.length === 0 ? (
            <p role="alert" className="text-sm">
              {shop.name} cannot print this model with its current materials and printers.
            </p>
          ) : null}
          {optionsData && optionsData.options.length > 0 ? (
            <fieldset className="space-y-1">
              <legend className={labelClass}>Material</legend>
              {optionsData.options.map((o) => (
                <label key={o.materialId} className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="materialId"
                    value={o.materialId}
                    checked={materialId === o.materialId}
                    onChange={() => setMaterialId(o.materialId)}
                  />
                  <span>{o.materialName}</span>
                  {o.totalMinor !== null ? (
                    <span className="text-slate-700 dark:text-slate-300">
                      from {money(o.totalMinor, optionsData.currency)}
                    </span>
                  ) : null}
                </label>
              ))}
            </fieldset>
          ) : options.state !== "idle" ? (
            <p className="text-sm" aria-live="polite">
              Finding the shop's materials for your model…
            </p>
          ) : null}
          <div className="grid gap-3 sm:grid-cols-3">
            {selected && selected.colors.length > 0 ? (
              <div>
                <label htmlFor={`${ids}-color`} className={labelClass}>
                  Color
                </label>
                <select
                  id={`${ids}-color`}
                  className={inputClass}
                  value={color}
                  onChange={(e) => setColor(e.currentTarget.value)}
                >
                  {selected.colors.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <div>
              <label htmlFor={`${ids}-quantity`} className={labelClass}>
                Quantity
              </label>
              <input
                id={`${ids}-quantity`}
                type="number"
                inputMode="numeric"
                min={1}
                max={10000}
                required
                className={inputClass}
                value={quantity}
                onChange={(e) =>
                  setQuantity(Math.max(1, Math.min(10_000, Number(e.currentTarget.value) || 1)))
                }
                onBlur={() => requestOptions(upload.id, session, quantity, quality)}
              />
            </div>
            <div>
              <label htmlFor={`${ids}-quality`} className={labelClass}>
                Quality
              </label>
              <select
                id={`${ids}-quality`}
                className={inputClass}
                value={quality}
                onChange={(e) => {
                  setQuality(e.currentTarget.value);
                  requestOptions(upload.id, session, quantity, e.currentTarget.value);
                }}
              >
                <option value="draft">Draft (fastest)</option>
                <option value="standard">Standard</option>
                <option value="fine">Fine (smoothest)</option>
              </select>
            </div>
          </div>
          <AccentButton
            type="submit"
            disabled={!materialId || quote.state !== "idle"}
            busy={quote.state !== "idle"}
          >
            {quote.state !== "idle" ? "Pricing…" : "Get my price"}
          </AccentButton>
          {quote.data && !quote.data.ok ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {quote.data.error}
            </p>
          ) : null}
        </form>
      ) : null}

      {quoteData ? (
        <section aria-labelledby={`${ids}-step3`} aria-live="polite" className="space-y-2">
          <h2 id={`${ids}-step3`} className="font-semibold">
            3. Your price
          </h2>
          <p className="text-sm">
            {quoteData.quantity} × {upload?.fileName} in {quoteData.materialName}
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
              <tr>
                <th scope="row" className="py-0.5 text-left font-normal">
                  Tax
                </th>
                <td className="text-right tabular-nums">
                  {money(quoteData.breakdown.taxMinor, quoteData.currency)}
                </td>
              </tr>
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
          {!ordering && !checkoutData ? (
            <div className="flex flex-wrap items-center gap-3">
              <AccentButton type="button" onClick={() => setOrdering(true)}>
                Order now
              </AccentButton>
              <form method="post" action="/embed/continue" target="_blank" rel="noopener">
                <input type="hidden" name="session" value={session ?? ""} />
                <input type="hidden" name="uploadId" value={upload?.id ?? ""} />
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
    </div>
  );
}
