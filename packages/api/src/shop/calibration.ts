import { recordAudit } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import type { Executor, OrgActor } from "../kernel/index.ts";

/**
 * Calibration from actual print times (issue 14, requirement 6). The actual print time of a job is the
 * time it spent in "printing" (each printing → next status interval of its history, summed). Its
 * estimate is what the job was priced with: the items' minutes per unit × quantity, from the slicer when
 * the job came from a sliced quote, else from the volume/area heuristic (or the shop's own figure).
 * Per printer, material and basis, a correction factor k is fitted by least squares on the relative
 * error (minimising Σ((k·e − a)/a)², so k = Σ(e/a) / Σ(e/a)²), which is what the mean absolute
 * percentage error (MAPE) measures. New quotes use it only when the shop switches it on and the group
 * has at least MIN_CALIBRATION_JOBS jobs.
 */
export const MIN_CALIBRATION_JOBS = 5;

/** Factors outside this range are a sign of bad data (a job left printing over a weekend), not a fit. */
const FACTOR_RANGE = { min: 0.25, max: 4 };

export type EstimateBasis = "sliced" | "estimated";

export interface CalibrationPoint {
  jobNumber: number;
  /** Where the actual time came from: the printer's own report, or the job's status history. */
  source: "printer" | "status_history";
  estimateMinutes: number;
  actualMinutes: number;
  estimateGrams: number;
  /** From the filament the printer measured (Moonraker); null without a printer report. */
  actualGrams: number | null;
}

export interface CalibrationGroup {
  printerId: string;
  printerName: string;
  materialId: string;
  materialName: string;
  basis: EstimateBasis;
  jobs: number;
  /** Actual ≈ factor × estimate; null when there are no usable jobs. */
  factor: number | null;
  /**
   * Mean absolute percentage error of the estimates as they were, and after the correction (each job
   * predicted from the others' fit; null below two jobs).
   */
  mapeBefore: number | null;
  mapeAfter: number | null;
  /** The same for grams, from the jobs whose printer measured its filament (null without any). */
  gramsJobs: number;
  gramsFactor: number | null;
  gramsMapeBefore: number | null;
  gramsMapeAfter: number | null;
  /** Whether new quotes use this group's factors (switched on and enough jobs). */
  applied: boolean;
  points: CalibrationPoint[];
}

export interface CalibrationView {
  enabled: boolean;
  minJobs: number;
  groups: CalibrationGroup[];
}

/** The least-squares factor on relative errors; null for no points. */
export function fitFactor(points: { estimate: number; actual: number }[]): number | null {
  const usable = points.filter((p) => p.estimate > 0 && p.actual > 0);
  if (usable.length === 0) return null;
  let num = 0;
  let den = 0;
  for (const p of usable) {
    const r = p.estimate / p.actual;
    num += r;
    den += r * r;
  }
  const k = num / den;
  return Math.min(FACTOR_RANGE.max, Math.max(FACTOR_RANGE.min, k));
}

/** Mean absolute percentage error (0.12 = 12 %) of factor × estimate against the actuals. */
export function mape(points: { estimate: number; actual: number }[], factor = 1): number | null {
  const usable = points.filter((p) => p.actual > 0);
  if (usable.length === 0) return null;
  const sum = usable.reduce((s, p) => s + Math.abs(factor * p.estimate - p.actual) / p.actual, 0);
  return sum / usable.length;
}

/**
 * The error after correction, measured honestly: each job is predicted with the factor fitted on the
 * other jobs (leave-one-out), so a fit cannot look good by remembering the points it is judged on.
 * Null below two jobs.
 */
export function heldOutMape(points: { estimate: number; actual: number }[]): number | null {
  const usable = points.filter((p) => p.estimate > 0 && p.actual > 0);
  if (usable.length < 2) return null;
  let sum = 0;
  for (const [i, p] of usable.entries()) {
    const k = fitFactor(usable.filter((_, j) => j !== i)) as number;
    sum += Math.abs(k * p.estimate - p.actual) / p.actual;
  }
  return sum / usable.length;
}

interface ActualRow {
  jobId: string;
  jobNumber: number;
  printerId: string;
  printerName: string;
  materialId: string;
  materialName: string;
  basis: EstimateBasis;
  source: "printer" | "status_history";
  estimateMinutes: number;
  actualSeconds: number;
  estimateGrams: number;
  actualGrams: number | null;
}

/**
 * Each finished print of the shop: its printer, material (the first item's), the basis of its estimate,
 * the estimated minutes and the actual seconds in "printing" (closed intervals only).
 */
export async function printActuals(db: Executor, organizationId: string): Promise<ActualRow[]> {
  const result = await sql<ActualRow>`
    with changes as (
      select c.job_id, c.to_status, c.created_at,
             lead(c.created_at) over (partition by c.job_id order by c.created_at, c.id) as next_at
      from job_status_change c
      where c.organization_id = ${organizationId}
    ),
    history as (
      select job_id, sum(extract(epoch from (next_at - created_at)))::float8 as seconds
      from changes
      where to_status = 'printing' and next_at is not null
      group by job_id
    ),
    reported as (
      select job_id, sum(print_seconds)::float8 as seconds, sum(filament_mm)::float8 as filament_mm
      from printer_report
      where organization_id = ${organizationId} and job_id is not null and status = 'completed'
      group by job_id
    ),
    printed as (
      select coalesce(r.job_id, h.job_id) as job_id,
             coalesce(r.seconds, h.seconds) as actual_seconds,
             r.filament_mm,
             r.job_id is not null as from_printer
      from history h
      full join reported r on r.job_id = h.job_id
    ),
    items as (
      select i.job_id,
             sum(i.minutes_per_unit * i.quantity)::float8 as estimate_minutes,
             sum(i.grams_per_unit * i.quantity)::float8 as estimate_grams,
             (array_agg(i.material_id order by i.position) filter (where i.material_id is not null))[1]
               as material_id
      from job_item i
      where i.organization_id = ${organizationId}
      group by i.job_id
    ),
    sliced as (
      select distinct o.job_id
      from marketplace_order o
      join order_line l on l.order_id = o.id
      join marketplace_quote q on q.id = l.quote_id
      where o.organization_id = ${organizationId} and q.inputs->>'basis' = 'sliced'
    )
    select j.id as "jobId", j.number as "jobNumber", p.id as "printerId", p.name as "printerName",
           m.id as "materialId", m.name as "materialName",
           case when s.job_id is null then 'estimated' else 'sliced' end as "basis",
           case when pr.from_printer then 'printer' else 'status_history' end as "source",
           it.estimate_minutes as "estimateMinutes", pr.actual_seconds as "actualSeconds",
           it.estimate_grams as "estimateGrams",
           -- filament length × its cross-section (mm³ → cm³) × the material's density
           (pr.filament_mm * pi() * power(m.filament_diameter_mm::float8 / 2, 2) / 1000
             * m.density_grams_per_cm3::float8) as "actualGrams"
    from job j
    join printed pr on pr.job_id = j.id
    join items it on it.job_id = j.id
    join printer p on p.id = j.printer_id
    join material m on m.id = it.material_id
    left join sliced s on s.job_id = j.id
    where j.organization_id = ${organizationId} and it.estimate_minutes > 0 and pr.actual_seconds > 0
    order by j.number`.execute(db);
  return result.rows;
}

async function isEnabled(db: Executor, organizationId: string): Promise<boolean> {
  const row = await db
    .selectFrom("shopCalibration")
    .select("enabled")
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return row?.enabled ?? false;
}

/** The shop's calibration: per printer, material and basis, the fit and its error before and after. */
export async function getCalibration(db: Executor, organizationId: string): Promise<CalibrationView> {
  const [enabled, rows] = await Promise.all([
    isEnabled(db, organizationId),
    printActuals(db, organizationId),
  ]);
  const groups = new Map<string, ActualRow[]>();
  for (const r of rows) {
    const key = `${r.printerId}:${r.materialId}:${r.basis}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return {
    enabled,
    minJobs: MIN_CALIBRATION_JOBS,
    groups: [...groups.values()].map((g) => {
      const first = g[0] as ActualRow;
      const points = g.map((r) => ({ estimate: r.estimateMinutes, actual: r.actualSeconds / 60 }));
      const grams = g
        .filter((r) => r.actualGrams !== null && r.estimateGrams > 0)
        .map((r) => ({ estimate: r.estimateGrams, actual: r.actualGrams as number }));
      const factor = fitFactor(points);
      const gramsFactor = fitFactor(grams);
      const round = (n: number | null) => (n === null ? null : Math.round(n * 10_000) / 10_000);
      return {
        printerId: first.printerId,
        printerName: first.printerName,
        materialId: first.materialId,
        materialName: first.materialName,
        basis: first.basis,
        jobs: g.length,
        factor: round(factor),
        mapeBefore: round(mape(points)),
        mapeAfter: round(heldOutMape(points)),
        gramsJobs: grams.length,
        gramsFactor: round(gramsFactor),
        gramsMapeBefore: round(mape(grams)),
        gramsMapeAfter: round(heldOutMape(grams)),
        applied: enabled && factor !== null && g.length >= MIN_CALIBRATION_JOBS,
        points: g.map((r) => ({
          jobNumber: r.jobNumber,
          source: r.source,
          estimateMinutes: Math.round(r.estimateMinutes * 10) / 10,
          actualMinutes: Math.round((r.actualSeconds / 60) * 10) / 10,
          estimateGrams: Math.round(r.estimateGrams * 10) / 10,
          actualGrams: r.actualGrams === null ? null : Math.round(r.actualGrams * 10) / 10,
        })),
      };
    }),
  };
}

export const updateCalibrationInput = z.object({ enabled: z.boolean({ error: "Say on or off" }) }).strict();

/** Switches the correction on or off for new quotes (stored quotes keep their prices). */
export async function updateCalibration(
  db: Executor,
  actor: OrgActor,
  input: z.input<typeof updateCalibrationInput>,
  now: Date,
): Promise<CalibrationView> {
  const f = updateCalibrationInput.parse(input);
  await db
    .insertInto("shopCalibration")
    .values({ organizationId: actor.organizationId, enabled: f.enabled, updatedAt: now })
    .onConflict((oc) => oc.column("organizationId").doUpdateSet({ enabled: f.enabled, updatedAt: now }))
    .execute();
  await recordAudit(db, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "calibration.updated",
    subjectType: "organization",
    subjectId: actor.organizationId,
    data: { enabled: f.enabled },
  });
  return getCalibration(db, actor.organizationId);
}

/** The corrections new quotes use, by `${printerId}:${materialId}:${basis}`, for one shop. */
export type Corrections = Map<string, { time: number; grams: number | null }>;

export async function calibrationCorrections(db: Executor, organizationId: string): Promise<Corrections> {
  if (!(await isEnabled(db, organizationId))) return new Map();
  return fittedCorrections(db, organizationId);
}

/** The fitted factors of a shop that has calibration on (the caller checked the switch). */
async function fittedCorrections(db: Executor, organizationId: string): Promise<Corrections> {
  const out: Corrections = new Map();
  const view = await getCalibration(db, organizationId);
  for (const g of view.groups) {
    if (!g.applied || g.factor === null) continue;
    // Grams only with enough jobs whose printer measured the filament.
    const grams = g.gramsJobs >= MIN_CALIBRATION_JOBS ? g.gramsFactor : null;
    out.set(`${g.printerId}:${g.materialId}:${g.basis}`, { time: g.factor, grams });
  }
  return out;
}

/**
 * The corrections of many shops at once (the marketplace's quote comparison): one query finds the shops
 * that switched calibration on; only those are read further. Shops without it map to no corrections.
 */
export async function calibrationCorrectionsFor(
  db: Executor,
  organizationIds: readonly string[],
): Promise<Map<string, Corrections>> {
  const out = new Map<string, Corrections>(organizationIds.map((id) => [id, new Map()]));
  if (organizationIds.length === 0) return out;
  const enabled = await db
    .selectFrom("shopCalibration")
    .select("organizationId")
    .where("organizationId", "in", organizationIds)
    .where("enabled", "=", true)
    .execute();
  for (const { organizationId } of enabled) {
    out.set(organizationId, await fittedCorrections(db, organizationId));
  }
  return out;
}

/**
 * How the marketplace quotes of these jobs were priced: from a slice (else the estimate), and whether
 * their minutes already carry the shop's calibration (a quote made while it was on), so the planner
 * corrects each time once.
 */
export async function jobQuoteBases(
  db: Executor,
  organizationId: string,
  jobIds: string[],
): Promise<{ sliced: Set<string>; calibrated: Set<string> }> {
  const sliced = new Set<string>();
  const calibrated = new Set<string>();
  if (jobIds.length === 0) return { sliced, calibrated };
  const rows = await db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("orderLine as l", "l.orderId", "o.id")
    .innerJoin("marketplaceQuote as q", "q.id", "l.quoteId")
    .select([
      "o.jobId",
      sql<boolean>`bool_or(q.inputs->>'basis' = 'sliced')`.as("sliced"),
      sql<boolean>`bool_or(coalesce((q.inputs->>'calibrated')::boolean, false))`.as("calibrated"),
    ])
    .where("o.organizationId", "=", organizationId)
    .where("o.jobId", "in", jobIds)
    .groupBy("o.jobId")
    .execute();
  for (const r of rows) {
    if (!r.jobId) continue;
    if (r.sliced) sliced.add(r.jobId);
    if (r.calibrated) calibrated.add(r.jobId);
  }
  return { sliced, calibrated };
}

/**
 * A print time corrected by the shop's calibration for one printer, material and basis (the same
 * factors new quotes use); unchanged when the shop has it off or the group has too few jobs.
 */
export function calibratedMinutes(
  corrections: Corrections,
  key: { printerId: string; materialId: string | null; basis: EstimateBasis },
  minutes: number,
): number {
  if (!key.materialId) return minutes;
  const factor = corrections.get(`${key.printerId}:${key.materialId}:${key.basis}`)?.time;
  return factor === undefined ? minutes : Math.round(minutes * factor);
}
