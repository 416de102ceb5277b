import { formatMoney } from "@ktizo/api/shared";
import { useFetcher } from "@remix-run/react";
import { type FormEvent, lazy, Suspense, useCallback, useEffect, useId, useRef, useState } from "react";
import { sliceLabel } from "~/components/marketplace/format";
import { formatCm3, formatMm } from "./format";
import { QuoteResult } from "./quote-result";
import {
  AccentButton,
  type ActionResult,
  inputClass,
  labelClass,
  type Message,
  type OptionsData,
  type QuoteData,
  type UploadResult,
  type WidgetShop,
} from "./widget-ui";

// three.js and the viewer load only once the model is shown.
const ModelPreview = lazy(() =>
  import("~/components/marketplace/model-preview").then((m) => ({ default: m.ModelPreview })),
);

/**
 * The widget's steps after an upload (loaded while the file uploads, so they are not among the page's
 * first scripts): 3D preview and size, the shop's materials, colors and quantity, the server's price,
 * and then the guest checkout.
 */
export function QuoteSteps({
  upload,
  file,
  session,
  shop,
  locale,
  countries,
  defaultCountry,
  post,
}: {
  upload: UploadResult;
  file: File | null;
  session: string;
  shop: WidgetShop;
  locale: string;
  countries: { value: string; label: string }[];
  defaultCountry: string;
  post: (message: Message) => void;
}) {
  const ids = useId();
  const [materialId, setMaterialId] = useState<string>("");
  const [color, setColor] = useState<string>("");
  const [quantity, setQuantity] = useState(1);
  const [quality, setQuality] = useState("standard");
  const options = useFetcher<ActionResult<OptionsData>>({ key: `${ids}-options` });
  const quote = useFetcher<ActionResult<QuoteData>>({ key: `${ids}-quote` });
  const money = (minor: number, currency = shop.currency) => formatMoney(minor, currency, locale);

  const optionsData = options.data?.ok ? options.data.data : null;
  const quoteData = quote.data?.ok ? quote.data.data : null;

  // Announce the quote to the host page (once per quote).
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

  // The shop's priced materials for this model, as soon as it is shown.
  const requested = useRef<string | null>(null);
  useEffect(() => {
    if (requested.current === upload.id) return;
    requested.current = upload.id;
    requestOptions(upload.id, session, quantity, quality);
  }, [upload.id, session, quantity, quality, requestOptions]);

  // Slicing runs in workers after the instant estimate: while an option is still estimated (and not
  // refused by the slicer), ask again every 5 s for two minutes so "Sliced: …" and its price appear.
  const latest = useRef({ options, quantity, quality });
  latest.current = { options, quantity, quality };
  const waitingForSlice =
    optionsData?.options.some((o) => o.basis === "estimated" && !o.sliceNote && quality === "standard") ??
    false;
  useEffect(() => {
    if (!waitingForSlice) return;
    let polls = 0;
    const poll = window.setInterval(() => {
      const l = latest.current;
      if (++polls > 24) window.clearInterval(poll);
      else if (l.options.state === "idle") requestOptions(upload.id, session, l.quantity, l.quality);
    }, 5000);
    return () => window.clearInterval(poll);
  }, [waitingForSlice, requestOptions, upload.id, session]);

  function askQuote(event: FormEvent) {
    event.preventDefault();
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

  const selected = optionsData?.options.find((o) => o.materialId === materialId) ?? null;

  return (
    <>
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
            {formatMm(upload.analysis.bbox.size.x, locale)} × {formatMm(upload.analysis.bbox.size.y, locale)}{" "}
            × {formatMm(upload.analysis.bbox.size.z, locale)}
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
                  <span className="text-slate-700 dark:text-slate-300" data-testid="option-price">
                    from {money(o.totalMinor, optionsData.currency)}
                  </span>
                ) : null}
                <span className="text-xs text-slate-600 dark:text-slate-400" data-testid="option-basis">
                  {sliceLabel(o)}
                </span>
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
              onChange={(e) => setQuantity(Math.max(1, Math.min(10_000, Number(e.currentTarget.value) || 1)))}
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
      {quoteData ? (
        <QuoteResult
          key={quoteData.id}
          quote={quoteData}
          fileName={upload.fileName}
          uploadId={upload.id}
          session={session}
          shop={shop}
          locale={locale}
          countries={countries}
          defaultCountry={defaultCountry}
          post={post}
        />
      ) : null}
    </>
  );
}
