import type { ButtonHTMLAttributes, ReactNode } from "react";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useCspNonce } from "~/lib/nonce";
import { textOn } from "./format";

/** Shapes and small pieces shared by the widget's parts (the first screen and the lazily loaded rest). */
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

export interface UploadResult {
  id: string;
  fileName: string;
  sizeBytes: number;
  analysis: { volumeMm3: number; watertight: boolean; bbox: { size: { x: number; y: number; z: number } } };
}

/** The widget's answers are the API's (marketplace.embed.*), passed through by the embed route as JSON. */
type EmbedOutputs = RouterOutputs["marketplace"]["embed"];
export type OptionsData = Served<EmbedOutputs["options"]>;

export type QuoteData = Served<EmbedOutputs["quote"]>;

export type CheckoutData = Served<EmbedOutputs["checkout"]>;

export type OrderData = Served<EmbedOutputs["order"]>;

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

export type Message =
  | { type: "ktizo:resize"; height: number }
  | { type: "ktizo:quote-ready"; quote: { totalMinor: number; currency: string; quoteId: string } }
  | { type: "ktizo:order-placed"; order: { orderId: string; totalMinor: number; currency: string } };

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100";
export const labelClass = "block text-sm font-medium text-slate-800 dark:text-slate-200";

/** Background, text and focus ring in the shop's accent colour (the variables AccentStyle sets). */
export const accentClass =
  "bg-[var(--ktizo-accent)] text-[var(--ktizo-on-accent)] outline-[var(--ktizo-accent)]";

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Sets the shop's accent colour (and a readable text colour on it) as CSS variables on `selector`,
 * in a `<style>` element carrying the page's CSP nonce: the production policy refuses style attributes.
 * Only a six-digit hex colour reaches the stylesheet (the settings allow nothing else).
 */
export function AccentStyle({ selector, accent }: { selector: string; accent: string }) {
  const nonce = useCspNonce();
  const color = HEX_COLOR.test(accent) ? accent : "#1d4ed8";
  const css = `${selector}{--ktizo-accent:${color};--ktizo-on-accent:${textOn(color)}}`;
  return <style nonce={nonce}>{css}</style>;
}

export function AccentButton({
  children,
  busy,
  ...props
}: { children: ReactNode; busy?: boolean } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      {...props}
      aria-busy={busy || undefined}
      className={`inline-flex items-center justify-center rounded-md px-4 py-2 font-semibold shadow-sm outline-offset-2 focus-visible:outline focus-visible:outline-2 disabled:opacity-60 ${accentClass}`}
    >
      {children}
    </button>
  );
}

export function ErrorText({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-300">
      {children}
    </p>
  );
}
