import { newId } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  badRequest,
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import { updateJobItem } from "./item-edits.ts";

/**
 * Smart suggestions without AI (issue 15, requirement 5), each from the shop's own records and saying
 * where it came from: on a job, the printer and material most used for similar past jobs and a price
 * check against similar jobs' prices; on the materials page, when scheduled work runs a material out and
 * how much to reorder. What a user does with one (accepted or dismissed) is recorded
 * (suggestion_outcome); a job's suggestion then stays away, a reorder one for a week.
 */

const DAY = 86_400_000;
/** Similar: the same technology and between half and twice the grams (or the size, without grams). */
const SIMILAR_RATIO = 2;
/** Fewer similar jobs than this is not a history to learn from. */
export const MIN_SIMILAR_JOBS = 3;
export const MIN_PRICE_HISTORY = 5;
/** How far ahead a reorder should cover. */
export const REORDER_COVER_DAYS = 14;
const REORDER_QUIET_DAYS = 7;
const PRINTED = ["post_processing", "ready", "shipped", "picked_up", "completed"] as const;
const PRICED = ["approved", "scheduled", "printing", ...PRINTED] as const;

export interface PrinterMaterialSuggestion {
  printerId: string | null;
  printerName: string | null;
  /** Similar jobs printed on that printer / in that material, of `similarJobs`. */
  printerJobs: number;
  materialId: string | null;
  materialName: string | null;
  materialJobs: number;
  similarJobs: number;
  /** In words: "Similar jobs (FDM, 50–200 g): Prusa MK4 on 7 of 9, PETG on 6 of 9". */
  basis: string;
}

export interface PriceCheck {
  direction: "above" | "below";
  totalMinor: number;
  currency: string;
  /** The middle half of similar jobs' prices (interquartile range) and the median. */
  lowMinor: number;
  highMinor: number;
  medianMinor: number;
  similarJobs: number;
  basis: string;
}

export interface JobSuggestions {
  printerMaterial: PrinterMaterialSuggestion | null;
  priceCheck: PriceCheck | null;
}

interface JobShape {
  id: string;
  technology: string | null;
  grams: number;
  sizeMm: number;
  materialId: string | null;
  printerId: string | null;
  totalMinor: number;
  currency: string;
}

/** Each job of the shop with its technology (first item's material), grams and largest dimension. */
async function jobShapes(db: Executor, organizationId: string, jobIds?: string[]): Promise<JobShape[]> {
  let q = db
    .selectFrom("job as j")
    .leftJoin("jobItem as i", "i.jobId", "j.id")
    .leftJoin("material as m", "m.id", "i.materialId")
    .select([
      "j.id",
      "j.printerId",
      "j.totalMinor",
      "j.currency",
      // The first item's material (and its technology), by position.
      sql<string | null>`(array_agg(m.id order by i.position) filter (where m.id is not null))[1]`.as(
        "materialId",
      ),
      sql<string | null>`(array_agg(m.technology order by i.position) filter (where m.id is not null))[1]`.as(
        "technology",
      ),
      sql<number>`coalesce(sum(i.grams_per_unit * i.quantity), 0)::float8`.as("grams"),
      sql<number>`coalesce(greatest(max(i.width_mm), max(i.depth_mm), max(i.height_mm)), 0)::float8`.as(
        "sizeMm",
      ),
    ])
    .where("j.organizationId", "=", organizationId)
    .groupBy("j.id");
  if (jobIds) q = q.where("j.id", "in", jobIds);
  else q = q.where("j.status", "in", [...PRICED]);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, grams: Number(r.grams), sizeMm: Number(r.sizeMm) }));
}

const within = (a: number, b: number) => a > 0 && b > 0 && a <= b * SIMILAR_RATIO && b <= a * SIMILAR_RATIO;

function isSimilar(job: JobShape, other: JobShape): boolean {
  if (other.id === job.id || !job.technology || other.technology !== job.technology) return false;
  if (job.grams > 0) return within(job.grams, other.grams);
  return within(job.sizeMm, other.sizeMm);
}

function similarityText(job: JobShape): string {
  const tech = (job.technology ?? "").toUpperCase();
  if (job.grams > 0) {
    return `${tech}, ${Math.round(job.grams / SIMILAR_RATIO)}–${Math.round(job.grams * SIMILAR_RATIO)} g`;
  }
  return `${tech}, ${Math.round(job.sizeMm / SIMILAR_RATIO)}–${Math.round(job.sizeMm * SIMILAR_RATIO)} mm`;
}

/** The most frequent value and how often it occurs; ties go to the first in id order (deterministic). */
function mostCommon(values: string[]): { value: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const v of [...values].sort()) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: { value: string; count: number } | null = null;
  for (const [value, count] of counts) if (!best || count > best.count) best = { value, count };
  return best;
}

/** The q-quantile of sorted values (linear interpolation). */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

async function hasOutcome(
  db: Executor,
  organizationId: string,
  kind: "printer_material" | "price_check" | "reorder",
  subjectId: string,
): Promise<boolean> {
  const q = db
    .selectFrom("suggestionOutcome")
    .select("id")
    .where("organizationId", "=", organizationId)
    .where("kind", "=", kind)
    .where("subjectId", "=", subjectId);
  return Boolean(await q.executeTakeFirst());
}

async function computeJobSuggestions(
  db: Executor,
  organizationId: string,
  jobId: string,
): Promise<JobSuggestions & { job: JobShape }> {
  const [job] = await jobShapes(db, organizationId, [jobId]);
  if (!job) throw notFound("Job not found");
  const history = (await jobShapes(db, organizationId)).filter((o) => isSimilar(job, o));
  const basisText = similarityText(job);

  let printerMaterial: PrinterMaterialSuggestion | null = null;
  const printed = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", organizationId)
    .where("status", "in", [...PRINTED])
    .where("printerId", "is not", null)
    .execute();
  const printedIds = new Set(printed.map((p) => p.id));
  const past = history.filter((o) => printedIds.has(o.id));
  if (past.length >= MIN_SIMILAR_JOBS) {
    const printer = mostCommon(past.flatMap((o) => (o.printerId ? [o.printerId] : [])));
    const material = mostCommon(past.flatMap((o) => (o.materialId ? [o.materialId] : [])));
    const [p, m] = await Promise.all([
      printer
        ? db
            .selectFrom("printer")
            .select("name")
            .where("id", "=", printer.value)
            .where("organizationId", "=", organizationId)
            .executeTakeFirst()
        : undefined,
      material
        ? db
            .selectFrom("material")
            .select("name")
            .where("id", "=", material.value)
            .where("organizationId", "=", organizationId)
            .where("archivedAt", "is", null)
            .executeTakeFirst()
        : undefined,
    ]);
    // Only what would change something: another printer than the job's, another material.
    const printerUseful = printer && p && printer.value !== job.printerId;
    const materialUseful = material && m && material.value !== job.materialId;
    if (printerUseful || materialUseful) {
      const parts = [
        printerUseful ? `${p.name} on ${printer.count} of ${past.length}` : null,
        materialUseful ? `${m.name} on ${material.count} of ${past.length}` : null,
      ].filter(Boolean);
      printerMaterial = {
        printerId: printerUseful ? printer.value : null,
        printerName: printerUseful ? p.name : null,
        printerJobs: printerUseful ? printer.count : 0,
        materialId: materialUseful ? material.value : null,
        materialName: materialUseful ? m.name : null,
        materialJobs: materialUseful ? material.count : 0,
        similarJobs: past.length,
        basis: `Similar printed jobs (${basisText}): ${parts.join(", ")}`,
      };
    }
  }

  let priceCheck: PriceCheck | null = null;
  const prices = history
    .filter((o) => o.currency === job.currency && o.totalMinor > 0)
    .map((o) => o.totalMinor)
    .sort((a, b) => a - b);
  if (prices.length >= MIN_PRICE_HISTORY && job.totalMinor > 0) {
    const low = Math.round(quantile(prices, 0.25));
    const high = Math.round(quantile(prices, 0.75));
    const median = Math.round(quantile(prices, 0.5));
    if (job.totalMinor < low || job.totalMinor > high) {
      priceCheck = {
        direction: job.totalMinor > high ? "above" : "below",
        totalMinor: job.totalMinor,
        currency: job.currency,
        lowMinor: low,
        highMinor: high,
        medianMinor: median,
        similarJobs: prices.length,
        basis: `The middle half of ${prices.length} similar jobs (${basisText})`,
      };
    }
  }
  return { printerMaterial, priceCheck, job };
}

/** The suggestions for one job that nobody has accepted or dismissed yet. */
export async function jobSuggestions(
  db: Executor,
  organizationId: string,
  jobId: string,
): Promise<JobSuggestions> {
  const s = await computeJobSuggestions(db, organizationId, jobId);
  const [pm, pc] = await Promise.all([
    hasOutcome(db, organizationId, "printer_material", jobId),
    hasOutcome(db, organizationId, "price_check", jobId),
  ]);
  return { printerMaterial: pm ? null : s.printerMaterial, priceCheck: pc ? null : s.priceCheck };
}

export interface StockForecast {
  materialId: string;
  materialName: string;
  onHandG: number;
  reservedG: number;
  reorderThresholdG: number;
  /** Scheduled jobs using it, in order of their start, and their grams. */
  scheduledJobs: number;
  scheduledG: number;
  /** When stock falls below the reorder threshold / runs out, as the scheduled jobs start. */
  runsLowAt: Date | null;
  runsOutAt: Date | null;
  /** Grams to order to cover the next REORDER_COVER_DAYS days and keep the threshold. */
  reorderG: number;
  coverDays: number;
  basis: string;
}

/**
 * Per material: stock on hand drawn down by the scheduled jobs' grams in the order they start (what is
 * reserved is on hand until printed), when it falls below the threshold and runs out, and how much to
 * reorder. Only materials that need it, and not those whose reorder was answered in the last week.
 */
export async function stockForecasts(
  db: Executor,
  organizationId: string,
  now: Date,
): Promise<StockForecast[]> {
  const materials = await db
    .selectFrom("material")
    .select(["id", "name", "onHandG", "reservedG", "reorderThresholdG"])
    .where("organizationId", "=", organizationId)
    .where("archivedAt", "is", null)
    .orderBy("name")
    .execute();
  const uses = await db
    .selectFrom("job as j")
    .innerJoin("jobItem as i", "i.jobId", "j.id")
    .select([
      "j.id",
      "j.scheduledStartAt",
      "i.materialId",
      (eb) => eb("i.gramsPerUnit", "*", eb.ref("i.quantity")).as("grams"),
    ])
    .where("j.organizationId", "=", organizationId)
    .where("j.status", "=", "scheduled")
    .where("j.scheduledStartAt", "is not", null)
    .where("i.materialId", "is not", null)
    .orderBy("j.scheduledStartAt")
    .orderBy("j.id")
    .execute();
  const quiet = await db
    .selectFrom("suggestionOutcome")
    .select("subjectId")
    .where("organizationId", "=", organizationId)
    .where("kind", "=", "reorder")
    .where("at", ">", new Date(now.getTime() - REORDER_QUIET_DAYS * DAY))
    .execute();
  const answered = new Set(quiet.map((q) => q.subjectId));
  const coverUntil = now.getTime() + REORDER_COVER_DAYS * DAY;
  const out: StockForecast[] = [];
  for (const m of materials) {
    if (answered.has(m.id)) continue;
    const own = uses.filter((u) => u.materialId === m.id);
    // A forecast follows scheduled work; stock that is low with nothing scheduled is the low-stock badge's.
    if (own.length === 0) continue;
    let left = m.onHandG;
    let runsLowAt: Date | null = left < m.reorderThresholdG ? now : null;
    let runsOutAt: Date | null = null;
    let coverG = 0;
    for (const u of own) {
      const grams = Number(u.grams);
      const startAt = u.scheduledStartAt!;
      if (startAt.getTime() <= coverUntil) coverG += grams;
      if (!runsOutAt && left < grams) runsOutAt = startAt.getTime() < now.getTime() ? now : startAt;
      left -= grams;
      if (!runsLowAt && left < m.reorderThresholdG)
        runsLowAt = startAt.getTime() < now.getTime() ? now : startAt;
    }
    if (!runsLowAt && !runsOutAt) continue;
    // Enough for the next two weeks' scheduled work plus the threshold, in whole 100 g.
    const need = coverG + m.reorderThresholdG - m.onHandG;
    const reorderG = Math.max(100, Math.ceil(need / 100) * 100);
    out.push({
      materialId: m.id,
      materialName: m.name,
      onHandG: m.onHandG,
      reservedG: m.reservedG,
      reorderThresholdG: m.reorderThresholdG,
      scheduledJobs: new Set(own.map((u) => u.id)).size,
      scheduledG: own.reduce((sum, u) => sum + Number(u.grams), 0),
      runsLowAt,
      runsOutAt,
      reorderG,
      coverDays: REORDER_COVER_DAYS,
      basis: `${m.onHandG} g on hand, ${own.length ? `${Math.round(own.reduce((s, u) => s + Number(u.grams), 0))} g for ${new Set(own.map((u) => u.id)).size} scheduled jobs in order of start` : "no scheduled jobs"}, reorder at ${m.reorderThresholdG} g`,
    });
  }
  return out;
}

export const respondSuggestionInput = z
  .object({
    kind: z.enum(["printer_material", "price_check", "reorder"]),
    /** The job (printer_material, price_check) or the material (reorder). */
    subjectId: idSchema,
    outcome: z.enum(["accepted", "dismissed"]),
  })
  .strict();

export interface SuggestionResponse {
  outcome: "accepted" | "dismissed";
  /** What accepting changed, in words ("PETG Black on 2 items"), or null. */
  applied: string | null;
  /** The printer to schedule the job on (accepted printer suggestion), for the schedule form. */
  printerId: string | null;
}

/**
 * Records the user's answer; accepting the printer/material suggestion sets the suggested material on
 * the job's items through the one item-editing path (its status rules and audit) and hands back the
 * printer for scheduling. The suggestion is worked out again here, never taken from the browser.
 */
export async function respondToSuggestion(
  db: Executor,
  actor: OrgActor,
  raw: z.input<typeof respondSuggestionInput>,
  now: Date,
): Promise<SuggestionResponse> {
  const f = respondSuggestionInput.parse(raw);
  let detail: Record<string, unknown> = {};
  let applied: string | null = null;
  let apply: ((trx: Executor) => Promise<void>) | null = null;
  let printerId: string | null = null;
  if (f.kind === "reorder") {
    const material = await db
      .selectFrom("material")
      .select("id")
      .where("id", "=", f.subjectId)
      .where("organizationId", "=", actor.organizationId)
      .executeTakeFirst();
    if (!material) throw notFound("Material not found");
    const forecast = (await stockForecasts(db, actor.organizationId, now)).find(
      (x) => x.materialId === f.subjectId,
    );
    if (!forecast) throw badRequest("There is no reorder suggestion for this material now");
    detail = { reorderG: forecast.reorderG, runsOutAt: forecast.runsOutAt?.toISOString() ?? null };
    if (f.outcome === "accepted") applied = `Reorder ${forecast.reorderG} g of ${forecast.materialName}`;
  } else {
    const s = await computeJobSuggestions(db, actor.organizationId, f.subjectId);
    if (f.kind === "price_check") {
      if (!s.priceCheck) throw badRequest("There is no price check for this job now");
      detail = { ...s.priceCheck };
      if (f.outcome === "accepted") applied = "Price check noted";
    } else {
      const pm = s.printerMaterial;
      if (!pm) throw badRequest("There is no printer or material suggestion for this job now");
      detail = { printerId: pm.printerId, materialId: pm.materialId, similarJobs: pm.similarJobs };
      if (f.outcome === "accepted") {
        printerId = pm.printerId;
        const materialId = pm.materialId;
        const items = materialId
          ? await db
              .selectFrom("jobItem")
              .select("id")
              .where("jobId", "=", f.subjectId)
              .where("organizationId", "=", actor.organizationId)
              .where((eb) => eb.or([eb("materialId", "is", null), eb("materialId", "<>", materialId)]))
              .orderBy("position")
              .execute()
          : [];
        if (materialId && items.length > 0) {
          apply = async (trx) => {
            for (const item of items) await updateJobItem(trx, actor, { itemId: item.id, materialId }, now);
          };
        }
        applied = [
          items.length
            ? `${pm.materialName} on ${items.length} ${items.length === 1 ? "item" : "items"}`
            : null,
          pm.printerName ? `schedule on ${pm.printerName}` : null,
        ]
          .filter(Boolean)
          .join("; ");
      }
    }
  }
  // Answered once per job suggestion (a unique index; a second answer at the same time is refused),
  // and the change is made in the same transaction: both or neither.
  await inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto("suggestionOutcome")
      .values({
        id: newId("sgo"),
        organizationId: actor.organizationId,
        userId: actor.userId,
        kind: f.kind,
        subjectId: f.subjectId,
        outcome: f.outcome,
        detail: JSON.stringify(detail),
        at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw badRequest("This suggestion was answered already");
    }
    if (apply) await apply(trx);
  });
  return { outcome: f.outcome, applied: applied || null, printerId };
}
