import type { ButtonHTMLAttributes, ReactNode } from "react";

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

export interface OptionsData {
  currency: string;
  options: {
    materialId: string;
    materialName: string;
    colors: string[];
    totalMinor: number | null;
    warnings: string[];
  }[];
}

export interface QuoteData {
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

export interface CheckoutData {
  orderId: string;
  number: number;
  token: string;
  statusPath: string;
  checkoutUrl: string;
  testMode: boolean;
  totalMinor: number;
  currency: string;
}

export interface OrderData {
  id: string;
  number: number;
  status: string;
  statusLabel: string;
  paid: boolean;
  totalMinor: number;
  currency: string;
  customerEmail: string;
}

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

export function AccentButton({
  children,
  busy,
  ...props
}: { children: ReactNode; busy?: boolean } & ButtonHTMLAttributes<HTMLButtonElement>) {
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

export function ErrorText({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-300">
      {children}
    </p>
  );
}
