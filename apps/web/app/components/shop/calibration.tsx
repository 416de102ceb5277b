import { Alert, Button, CheckboxField, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { formatMinutes } from "./format";

export interface CalibrationGroupView {
  printerId: string;
  printerName: string;
  materialId: string;
  materialName: string;
  basis: "sliced" | "estimated";
  jobs: number;
  factor: number | null;
  mapeBefore: number | null;
  mapeAfter: number | null;
  applied: boolean;
  points: { jobNumber: number; estimateMinutes: number; actualMinutes: number }[];
}

const percent = (n: number | null) => (n === null ? "–" : `${Math.round(n * 1000) / 10} %`);

/** A nice round upper bound for an axis (1, 2, 5 × 10ⁿ minutes). */
export function axisMax(values: number[]): number {
  const top = Math.max(10, ...values);
  const magnitude = 10 ** Math.floor(Math.log10(top));
  const step = [1, 2, 5, 10].find((s) => s * magnitude >= top) ?? 10;
  return step * magnitude;
}

const W = 320;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 36 };

/**
 * Estimate (x) against actual (y) print minutes, one dot per finished job, with the line of a perfect
 * estimate and the fitted correction. SVG attributes and classes only (the CSP refuses style attributes);
 * colours follow dark mode through the classes.
 */
export function CalibrationScatter({ group }: { group: CalibrationGroupView }) {
  const max = axisMax(group.points.flatMap((p) => [p.estimateMinutes, p.actualMinutes]));
  const x = (m: number) => PAD.left + (m / max) * (W - PAD.left - PAD.right);
  const y = (m: number) => H - PAD.bottom - (m / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, max / 2, max];
  const fitEnd = group.factor ? Math.min(max, max / group.factor) : null;
  const titleId = `cal-${group.printerId}-${group.materialId}-${group.basis}`;
  return (
    <figure className="space-y-2">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full max-w-md"
        role="img"
        aria-labelledby={`${titleId}-title`}
        data-testid="calibration-scatter"
      >
        <title id={`${titleId}-title`}>
          {`Estimated against actual print minutes for ${group.printerName}, ${group.materialName}: ${group.points.length} jobs`}
        </title>
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={x(0)}
              x2={x(max)}
              y1={y(t)}
              y2={y(t)}
              className="stroke-slate-200 dark:stroke-slate-700"
              strokeWidth={1}
            />
            <text
              x={PAD.left - 6}
              y={y(t) + 4}
              textAnchor="end"
              fontSize={11}
              className="fill-slate-600 dark:fill-slate-400"
            >
              {Math.round(t)}
            </text>
            <text
              x={x(t)}
              y={H - PAD.bottom + 14}
              textAnchor="middle"
              fontSize={11}
              className="fill-slate-600 dark:fill-slate-400"
            >
              {Math.round(t)}
            </text>
          </g>
        ))}
        <text
          x={(PAD.left + W - PAD.right) / 2}
          y={H - 4}
          textAnchor="middle"
          fontSize={11}
          className="fill-slate-700 dark:fill-slate-300"
        >
          Estimated minutes
        </text>
        <text
          x={12}
          y={(PAD.top + H - PAD.bottom) / 2}
          textAnchor="middle"
          fontSize={11}
          transform={`rotate(-90 12 ${(PAD.top + H - PAD.bottom) / 2})`}
          className="fill-slate-700 dark:fill-slate-300"
        >
          Actual minutes
        </text>
        {/* A perfect estimate: actual = estimate. */}
        <line
          x1={x(0)}
          y1={y(0)}
          x2={x(max)}
          y2={y(max)}
          className="stroke-slate-400 dark:stroke-slate-500"
          strokeWidth={1}
          strokeDasharray="4 4"
        />
        {fitEnd !== null && group.factor !== null ? (
          <line
            x1={x(0)}
            y1={y(0)}
            x2={x(fitEnd)}
            y2={y(fitEnd * group.factor)}
            className="stroke-amber-600 dark:stroke-amber-400"
            strokeWidth={2}
            data-testid="calibration-fit"
          />
        ) : null}
        {group.points.map((p) => (
          <circle
            key={p.jobNumber}
            cx={x(p.estimateMinutes)}
            cy={y(p.actualMinutes)}
            r={4}
            className="fill-brand-600 stroke-white dark:fill-brand-400 dark:stroke-slate-900"
            strokeWidth={1}
          >
            <title>{`Job #${p.jobNumber}: estimated ${formatMinutes(Math.round(p.estimateMinutes))}, took ${formatMinutes(Math.round(p.actualMinutes))}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="text-sm text-slate-600 dark:text-slate-400">
        Dashed: a perfect estimate. Solid: the fitted correction.
      </figcaption>
    </figure>
  );
}

/**
 * The pricing page's calibration: per printer, material and basis, how far the estimates were from the
 * jobs' actual print times (MAPE), and after the fitted correction; the switch that applies it to new
 * quotes (only groups with enough finished jobs).
 */
export function CalibrationSection({
  enabled,
  minJobs,
  groups,
  message,
  error,
  busy,
}: {
  enabled: boolean;
  minJobs: number;
  groups: CalibrationGroupView[];
  message?: string | null;
  error?: string | null;
  busy: boolean;
}) {
  return (
    <Section
      id="calibration"
      title="Calibration from actual print times"
      description={`Each job's time in "Printing" (or the printer's own report) against the time it was priced with, per printer and material. The error after correction predicts each job from the others. A correction is used for new quotes only when switched on and after ${minJobs} finished jobs; quotes already given keep their prices.`}
    >
      <div className="space-y-4">
        {message ? <Alert tone="success">{message}</Alert> : null}
        {error ? <Alert tone="error">{error}</Alert> : null}
        <Form method="post" className="flex flex-wrap items-end gap-3">
          <input type="hidden" name="intent" value="calibration" />
          <CheckboxField
            label="Correct new quotes with the fitted print times"
            name="enabled"
            defaultChecked={enabled}
          />
          <Button type="submit" variant="secondary" disabled={busy}>
            Save calibration
          </Button>
        </Form>
        {groups.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No finished prints yet: move jobs on a printer through "Printing" to the next status, and their
            times appear here.
          </p>
        ) : (
          <ul className="space-y-6">
            {groups.map((g) => (
              <li
                key={`${g.printerId}-${g.materialId}-${g.basis}`}
                className="space-y-2"
                data-testid="calibration-group"
              >
                <h3 className="font-medium">
                  {g.printerName} · {g.materialName} ·{" "}
                  {g.basis === "sliced" ? "slicer times" : "estimated times"}
                </h3>
                <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
                  <dt className="text-slate-600 dark:text-slate-400">Jobs</dt>
                  <dd>{g.jobs}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">Correction</dt>
                  <dd>{g.factor === null ? "–" : `× ${g.factor.toFixed(2)}`}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">Error before (MAPE)</dt>
                  <dd data-testid="mape-before">{percent(g.mapeBefore)}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">Error after (MAPE, held out)</dt>
                  <dd data-testid="mape-after">{percent(g.mapeAfter)}</dd>
                </dl>
                <p className="text-sm" data-testid="calibration-applied">
                  {g.applied
                    ? "New quotes use this correction."
                    : g.jobs < minJobs
                      ? `Not used yet: ${minJobs - g.jobs} more finished jobs needed.`
                      : "Not used: calibration is switched off."}
                </p>
                <CalibrationScatter group={g} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </Section>
  );
}
