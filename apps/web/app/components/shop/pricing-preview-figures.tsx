import { Alert } from "@ktizo/ui";
import { useFormat } from "~/lib/format";
import { formatGrams, formatMinutes } from "./format";

interface PreviewQuote {
  breakdown: {
    currency: string;
    lines: { code: string; label: string; amountMinor: number }[];
    subtotalMinor: number;
    taxMinor: number;
    totalMinor: number;
  };
  estimate: { weightG: number; printHours: number; printSeconds: number };
  printability: { fits: boolean; printable: boolean };
  unitPriceMinor: number;
  warnings: string[];
}

export interface PreviewResult {
  ok: boolean;
  error?: string;
  uploadId?: string;
  fileName?: string;
  size?: { x: number; y: number; z: number };
  quote?: PreviewQuote;
  slice?: {
    status: "sliced" | "pending" | "failed" | "unavailable";
    note: string | null;
    quote: PreviewQuote | null;
  };
}

const SLICE_STATUS: Record<NonNullable<PreviewResult["slice"]>["status"], string> = {
  sliced: "Sliced",
  pending: "Waiting for the slicer…",
  failed: "Not sliced",
  unavailable: "Not sliced",
};

/** What a successful preview shows: the model's size, estimate beside slice, and the breakdown the customer pays. */
export function PreviewFigures({ shown }: { shown: PreviewResult }) {
  const { money: formatMoney } = useFormat();
  const q = shown.quote;
  const slice = shown.slice;
  const paid = slice?.quote ?? q;
  if (!q || !paid) return null;
  return (
    <div className="space-y-3">
      {q.warnings.map((w) => (
        <Alert key={w} tone="warning">
          {w}
        </Alert>
      ))}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {shown?.fileName}: {shown?.size?.x.toFixed(1)} × {shown?.size?.y.toFixed(1)} ×{" "}
        {shown?.size?.z.toFixed(1)} mm
      </p>
      <table className="w-full text-sm" data-testid="preview-compare">
        <caption className="text-left text-sm font-medium">Estimate and slice, per piece</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-700">
            <th scope="col" className="py-1.5 text-left font-normal">
              <span className="sr-only">Figure</span>
            </th>
            <th scope="col" className="py-1.5 text-right font-medium">
              Estimate
            </th>
            <th scope="col" className="py-1.5 text-right font-medium">
              {slice ? SLICE_STATUS[slice.status] : "Slice"}
            </th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ["Print time", (x: PreviewQuote) => formatMinutes(Math.ceil(x.estimate.printSeconds / 60))],
              ["Material", (x: PreviewQuote) => formatGrams(Math.round(x.estimate.weightG * 10) / 10)],
              ["Total", (x: PreviewQuote) => formatMoney(x.breakdown.totalMinor, x.breakdown.currency)],
            ] as const
          ).map(([label, value]) => (
            <tr key={label} className="border-b border-slate-100 dark:border-slate-800">
              <th scope="row" className="py-1.5 text-left font-normal">
                {label}
              </th>
              <td className="py-1.5 text-right tabular-nums">{value(q)}</td>
              <td
                className="py-1.5 text-right tabular-nums"
                data-testid={`sliced-${label.split(" ").pop()?.toLowerCase()}`}
              >
                {slice?.quote ? value(slice.quote) : "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {slice?.note ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="slice-note">
          {slice.note}
        </p>
      ) : null}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Customers pay the {slice?.quote ? "sliced" : "estimated"} price; the breakdown below is that price.
      </p>
      <table className="w-full text-sm">
        <caption className="sr-only">Quote breakdown</caption>
        <tbody>
          {[
            ...paid.breakdown.lines.map((l) => [`line-${l.code}`, l.label, l.amountMinor, true] as const),
            ["subtotal", "Subtotal", paid.breakdown.subtotalMinor, false] as const,
            ["tax", "Tax", paid.breakdown.taxMinor, false] as const,
          ].map(([key, label, amountMinor, ruled]) => (
            <tr key={key} className={ruled ? "border-b border-slate-100 dark:border-slate-800" : undefined}>
              <th scope="row" className="py-1.5 text-left font-normal">
                {label}
              </th>
              <td className="py-1.5 text-right tabular-nums">
                {formatMoney(amountMinor, paid.breakdown.currency)}
              </td>
            </tr>
          ))}
          <tr className="font-semibold">
            <th scope="row" className="py-1.5 text-left">
              Total
            </th>
            <td className="py-1.5 text-right tabular-nums" data-testid="preview-total">
              {formatMoney(paid.breakdown.totalMinor, paid.breakdown.currency)}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
