import { Badge } from "@ktizo/ui";
import { Form, Link } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { formatMinutes, STATUS_LABELS } from "~/components/shop/format";
import { MaintenanceRects } from "~/components/shop/plan-gantt";
import { useFormat } from "~/lib/format";
import { CONFLICT_LABELS } from "./schedule-job-section";
import type { PrinterLaneView } from "./types";

/**
 * One printer's lane from `from` to `to` (ms): a bar per job and maintenance window, then the windows and
 * the jobs as lists, each scheduled job with its unschedule button.
 */
export function PrinterLane({
  lane,
  days,
  from,
  to,
}: {
  lane: PrinterLaneView;
  days: number;
  from: number;
  to: number;
}) {
  const { dateTime: formatWhen } = useFormat();
  const range = to - from;
  return (
    <section
      aria-labelledby={`lane-${lane.printer.id}`}
      className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800"
    >
      <h2 id={`lane-${lane.printer.id}`} className="flex items-center gap-2 font-semibold">
        {lane.printer.name}
        {lane.printer.status !== "available" ? (
          <Badge tone={lane.printer.status === "maintenance" ? "amber" : "slate"}>
            {lane.printer.status === "maintenance" ? "In maintenance" : "Offline"}
          </Badge>
        ) : null}
        <span className="text-xs font-normal text-slate-500">
          {lane.printer.technology.toUpperCase()} · {lane.printer.buildVolumeMm.x}×
          {lane.printer.buildVolumeMm.y}×{lane.printer.buildVolumeMm.z} mm
        </span>
      </h2>
      {/* Positions are SVG attributes in percent: the production CSP refuses style attributes. */}
      <svg aria-hidden="true" className="mt-3 block h-10 w-full rounded-md bg-slate-100 dark:bg-slate-800">
        {Array.from({ length: days - 1 }, (_, i) => (
          <line
            key={`d${i + 1}`}
            x1={`${((i + 1) / days) * 100}%`}
            x2={`${((i + 1) / days) * 100}%`}
            y1="0"
            y2="100%"
            className="stroke-slate-300 dark:stroke-slate-700"
          />
        ))}
        <MaintenanceRects windows={lane.maintenance} from={from} to={to} />
        {lane.entries.map((en) => {
          const s = Math.max(new Date(en.startAt).getTime(), from);
          const t = Math.min(new Date(en.endAt).getTime(), to);
          const x = `${((s - from) / range) * 100}%`;
          const width = `${Math.max(((t - s) / range) * 100, 0.8)}%`;
          return (
            // A nested viewport clips the label to its bar.
            <svg key={en.jobId} x={x} width={width} y="4" height="32" overflow="hidden">
              <title>{`#${en.number} ${en.title}`}</title>
              <rect
                width="100%"
                height="100%"
                rx="4"
                className={en.conflicts.length ? "fill-red-600" : "fill-brand-600"}
              />
              <text x="4" y="21" className="fill-white text-xs">
                #{en.number}
              </text>
            </svg>
          );
        })}
      </svg>
      {lane.maintenance.length ? (
        <ul className="mt-2 space-y-1 text-sm" aria-label={`Planned maintenance on ${lane.printer.name}`}>
          {lane.maintenance.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center gap-2">
              <Badge tone="amber">Maintenance</Badge>
              <span className="text-slate-700 dark:text-slate-300">
                {formatWhen(w.startAt)} → {formatWhen(w.endAt)}
                {w.reason ? ` · ${w.reason}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {lane.entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Nothing scheduled.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {lane.entries.map((en) => (
            <li key={en.jobId} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <Link to={`/org/jobs/${en.jobId}`} className={linkClass}>
                  #{en.number} {en.title}
                </Link>{" "}
                <span className="text-slate-600 dark:text-slate-400">
                  · {en.customerName} · {formatWhen(en.startAt)} → {formatWhen(en.endAt)} (
                  {formatMinutes(en.durationMinutes)})
                </span>
                {en.conflicts.map((c) => (
                  <span key={c.kind + c.message} className="ml-2">
                    <Badge tone="red">{CONFLICT_LABELS[c.kind] ?? c.kind}</Badge>
                    <span className="sr-only">: {c.message}</span>
                  </span>
                ))}
              </span>
              {en.status === "scheduled" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="clear" />
                  <input type="hidden" name="jobId" value={en.jobId} />
                  <button
                    type="submit"
                    className="text-sm font-medium text-red-700 hover:underline dark:text-red-400"
                    aria-label={`Unschedule job #${en.number}`}
                  >
                    Unschedule
                  </button>
                </Form>
              ) : (
                <Badge tone="amber">{STATUS_LABELS[en.status]}</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
