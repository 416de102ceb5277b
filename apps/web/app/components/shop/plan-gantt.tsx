/** One printer's proposed timeline: a bar per job, coloured by what the plan does with it. */
export interface GanttBar {
  jobId: string;
  jobNumber: number;
  title: string;
  startAt: string;
  endAt: string;
  change: "new" | "moved" | "kept";
  lateMinutes: number;
}

const FILL: Record<GanttBar["change"], string> = {
  new: "fill-brand-600",
  moved: "fill-amber-600",
  kept: "fill-slate-500",
};

/** Planned maintenance on a printer: where nothing is planned. */
export interface MaintenanceBar {
  id: string;
  startAt: string;
  endAt: string;
  reason: string;
}

/** Maintenance windows as hatched-looking amber blocks inside a lane's SVG (percent positions). */
export function MaintenanceRects({
  windows,
  from,
  to,
}: {
  windows: readonly MaintenanceBar[];
  from: number;
  to: number;
}) {
  const range = Math.max(to - from, 1);
  return (
    <>
      {windows.map((w) => {
        const s = Math.max(new Date(w.startAt).getTime(), from);
        const e = Math.min(new Date(w.endAt).getTime(), to);
        if (e <= s) return null;
        return (
          <rect
            key={w.id}
            x={`${((s - from) / range) * 100}%`}
            width={`${Math.max(((e - s) / range) * 100, 0.5)}%`}
            y="0"
            height="100%"
            className="fill-amber-300/70 stroke-amber-600 dark:fill-amber-700/60 dark:stroke-amber-400"
            strokeDasharray="4 3"
          >
            <title>{`Maintenance${w.reason ? `: ${w.reason}` : ""}`}</title>
          </rect>
        );
      })}
    </>
  );
}

export function PlanGantt({
  bars,
  from,
  to,
  maintenance = [],
}: {
  bars: GanttBar[];
  from: number;
  to: number;
  maintenance?: readonly MaintenanceBar[];
}) {
  const range = Math.max(to - from, 1);
  const days = Math.max(1, Math.round(range / 86_400_000));
  return (
    // Positions are SVG attributes in percent: the production CSP refuses style attributes.
    <svg aria-hidden="true" className="mt-3 block h-10 w-full rounded-md bg-slate-100 dark:bg-slate-800">
      {Array.from({ length: Math.min(days, 31) - 1 }, (_, i) => (
        <line
          key={`d${i + 1}`}
          x1={`${((i + 1) / days) * 100}%`}
          x2={`${((i + 1) / days) * 100}%`}
          y1="0"
          y2="100%"
          className="stroke-slate-300 dark:stroke-slate-700"
        />
      ))}
      <MaintenanceRects windows={maintenance} from={from} to={to} />
      {bars.map((bar) => {
        const s = Math.max(new Date(bar.startAt).getTime(), from);
        const e = Math.min(new Date(bar.endAt).getTime(), to);
        return (
          <svg
            key={bar.jobId}
            x={`${((s - from) / range) * 100}%`}
            width={`${Math.max(((e - s) / range) * 100, 0.8)}%`}
            y="4"
            height="32"
            overflow="hidden"
          >
            <title>{`#${bar.jobNumber} ${bar.title}`}</title>
            <rect
              width="100%"
              height="100%"
              rx="4"
              className={`${FILL[bar.change]} ${bar.lateMinutes > 0 ? "stroke-red-600 stroke-[3px]" : ""}`}
            />
            <text x="4" y="21" className="fill-white text-xs">
              #{bar.jobNumber}
            </text>
          </svg>
        );
      })}
    </svg>
  );
}
