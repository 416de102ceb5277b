import { cx } from "@ktizo/ui";

export interface BarPoint {
  /** The period's label (a day or the first day of a week). */
  label: string;
  value: number;
}

const WIDTH = 600;
const HEIGHT = 160;

/**
 * A bar chart rendered with the page: plain SVG whose geometry is attributes and whose colours are
 * classes (fill-… with dark: variants), so it needs no script and no inline style (the production CSP
 * forbids them) and reads in light and dark. Axis text is HTML beside the SVG, so it keeps its size
 * on a 390 px phone while the bars scale. Each bar carries a <title>; the figures are also in a
 * visually hidden table for screen readers.
 */
export function BarChart({
  title,
  points,
  format = (v) => String(v),
  tone = "brand",
}: {
  title: string;
  points: BarPoint[];
  format?: (value: number) => string;
  tone?: "brand" | "emerald" | "amber" | "red";
}) {
  const max = Math.max(0, ...points.map((p) => p.value));
  const slot = points.length > 0 ? WIDTH / points.length : WIDTH;
  const gap = Math.min(4, slot * 0.2);
  const fills = {
    brand: "fill-brand-500 dark:fill-brand-400",
    emerald: "fill-emerald-600 dark:fill-emerald-400",
    amber: "fill-amber-500 dark:fill-amber-300",
    red: "fill-red-600 dark:fill-red-400",
  };
  const total = points.reduce((s, p) => s + p.value, 0);
  return (
    <figure className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <figcaption className="flex items-baseline justify-between gap-2">
        <span className="text-sm font-semibold">{title}</span>
        <span className="text-xs text-slate-600 dark:text-slate-400">max {format(max)}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="mt-2 block h-32 w-full"
        role="img"
        aria-label={`${title}: ${points.length} periods, highest ${format(max)}`}
      >
        {[0.25, 0.5, 0.75].map((f) => (
          <line
            key={f}
            x1={0}
            x2={WIDTH}
            y1={HEIGHT * f}
            y2={HEIGHT * f}
            className="stroke-slate-200 dark:stroke-slate-700"
            strokeWidth={1}
            vectorEffect="non-scaling-stroke"
          />
        ))}
        <line
          x1={0}
          x2={WIDTH}
          y1={HEIGHT}
          y2={HEIGHT}
          className="stroke-slate-400 dark:stroke-slate-500"
          strokeWidth={1}
          vectorEffect="non-scaling-stroke"
        />
        {points.map((p, i) => {
          const h = max > 0 ? (p.value / max) * (HEIGHT - 4) : 0;
          return (
            <rect
              key={p.label}
              x={i * slot + gap / 2}
              y={HEIGHT - h}
              width={Math.max(1, slot - gap)}
              height={h}
              className={cx(fills[tone])}
            >
              <title>{`${p.label}: ${format(p.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div
        className="mt-1 flex justify-between text-xs text-slate-600 dark:text-slate-400"
        aria-hidden="true"
      >
        <span>{points[0]?.label ?? ""}</span>
        <span>{points.at(-1)?.label ?? ""}</span>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <td>{p.label}</td>
              <td>{format(p.value)}</td>
            </tr>
          ))}
          <tr>
            <td>Total</td>
            <td>{format(total)}</td>
          </tr>
        </tbody>
      </table>
    </figure>
  );
}
