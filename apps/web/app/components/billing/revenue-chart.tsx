import { useFormat } from "~/lib/format";

export interface RevenueMonth {
  month: string;
  invoicedMinor: number;
  receivedMinor: number;
}

const WIDTH = 640;
const HEIGHT = 240;
const AXIS = 28;

/**
 * Invoiced and received per month as paired bars: drawn with SVG attributes and Tailwind fill classes
 * (no inline style, which the CSP refuses), scaled to the viewport, so it fits a 390 px screen and follows
 * dark mode. The table beside it carries the same numbers for screen readers.
 */
export function RevenueChart({ currency, months }: { currency: string; months: RevenueMonth[] }) {
  const { money } = useFormat();
  const top = Math.max(1, ...months.flatMap((m) => [m.invoicedMinor, m.receivedMinor]));
  const slot = (WIDTH - 8) / Math.max(1, months.length);
  const bar = Math.max(2, Math.min(24, slot / 2 - 4));
  const scale = (v: number) => (Math.max(0, v) / top) * (HEIGHT - AXIS - 12);
  return (
    <figure className="space-y-2">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby={`revenue-${currency}-title`}
      >
        <title id={`revenue-${currency}-title`}>
          {`Invoiced and received per month in ${currency}, highest ${money(top, currency)}`}
        </title>
        <line
          x1={4}
          x2={WIDTH - 4}
          y1={HEIGHT - AXIS}
          y2={HEIGHT - AXIS}
          className="stroke-slate-300 dark:stroke-slate-600"
          strokeWidth={1}
        />
        {months.map((m, i) => {
          const x = 4 + i * slot + slot / 2;
          const inv = scale(m.invoicedMinor);
          const rec = scale(m.receivedMinor);
          return (
            <g key={m.month} data-month={m.month}>
              <rect
                x={x - bar - 1}
                y={HEIGHT - AXIS - inv}
                width={bar}
                height={inv}
                rx={2}
                className="fill-brand-600 dark:fill-brand-400"
              >
                <title>{`${m.month} invoiced ${money(m.invoicedMinor, currency)}`}</title>
              </rect>
              <rect
                x={x + 1}
                y={HEIGHT - AXIS - rec}
                width={bar}
                height={rec}
                rx={2}
                className="fill-emerald-600 dark:fill-emerald-400"
              >
                <title>{`${m.month} received ${money(m.receivedMinor, currency)}`}</title>
              </rect>
              <text
                x={x}
                y={HEIGHT - 8}
                textAnchor="middle"
                fontSize={12}
                className="fill-slate-600 dark:fill-slate-300"
              >
                {m.month.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600 dark:text-slate-400">
        <span className="flex items-center gap-1">
          <svg viewBox="0 0 10 10" className="h-3 w-3" aria-hidden="true">
            <rect width={10} height={10} className="fill-brand-600 dark:fill-brand-400" />
          </svg>
          Invoiced (less credit notes)
        </span>
        <span className="flex items-center gap-1">
          <svg viewBox="0 0 10 10" className="h-3 w-3" aria-hidden="true">
            <rect width={10} height={10} className="fill-emerald-600 dark:fill-emerald-400" />
          </svg>
          Received (less refunds)
        </span>
      </figcaption>
    </figure>
  );
}

/** Every month from `from` to `to` (YYYY-MM), so months without money still get a slot. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = to.slice(0, 7);
  while (out.length < 120) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    out.push(key);
    if (key >= end) break;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}
