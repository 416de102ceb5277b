import { type BillingDeposit, type EstimateStatus, newId, recordAudit } from "@ktizo/db";
import { z } from "zod";
import {
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  type MemberActor,
  notFound,
} from "../kernel/index.ts";
import {
  type DocumentFields,
  depositInput,
  documentColumns,
  documentFieldsInput,
  isoDayInput,
  jobItemLines,
  resolveDocument,
  totalsOf,
} from "./document.ts";
import { getBillingSettings } from "./settings.ts";

const estimateFields = documentFieldsInput.extend({
  deposit: depositInput.nullable().default(null),
  validUntil: isoDayInput.nullable().default(null),
});

/** Lines left out: the job's own line items, priced as the job prices them. */
export const createEstimateInput = estimateFields
  .extend({ jobId: idSchema, lines: documentFieldsInput.shape.lines.optional() })
  .strict();
export const reviseEstimateInput = estimateFields.extend({ id: idSchema }).strict();
export const listEstimatesInput = z.object({
  jobId: idSchema.optional(),
  status: z.enum(["draft", "sent", "approved", "changes_requested", "declined"]).optional(),
});

/** An estimate can be revised until the customer approves it (the approved version is the deal). */
const REVISABLE: readonly EstimateStatus[] = ["draft", "sent", "changes_requested", "declined"];

async function jobForEstimate(trx: Executor, organizationId: string, jobId: string) {
  const job = await trx
    .selectFrom("job")
    .select(["id", "currency"])
    .where("id", "=", jobId)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  return job;
}

async function writeVersion(
  trx: Executor,
  actor: MemberActor,
  estimate: { id: string; jobId: string },
  version: number,
  fields: DocumentFields & { deposit: BillingDeposit | null; validUntil: string | null },
  now: Date,
) {
  const settings = await getBillingSettings(trx, actor.organizationId);
  const doc = await resolveDocument(
    trx,
    { organizationId: actor.organizationId, jobId: estimate.jobId },
    settings.taxRates,
    fields,
  );
  const totals = totalsOf(doc, fields.deposit);
  await trx
    .insertInto("estimateVersion")
    .values({
      id: newId("estv"),
      organizationId: actor.organizationId,
      estimateId: estimate.id,
      version,
      ...documentColumns(doc, totals),
      deposit: fields.deposit ? JSON.stringify(fields.deposit) : null,
      validUntil: fields.validUntil,
      depositMinor: totals.depositMinor,
      createdBy: actor.userId,
      createdAt: now,
    })
    .execute();
  return totals;
}

export async function createEstimate(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof createEstimateInput>,
  now: Date,
) {
  const id = await inTransaction(db, async (trx) => {
    const job = await jobForEstimate(trx, actor.organizationId, input.jobId);
    const lines = input.lines ?? (await jobItemLines(trx, job.id));
    if (lines.length === 0) {
      throw conflict("The job has no line items: add lines to the estimate", {
        lines: "Add at least one line",
      });
    }
    const estimateId = newId("est");
    await trx
      .insertInto("estimate")
      .values({
        id: estimateId,
        organizationId: actor.organizationId,
        jobId: job.id,
        currency: job.currency,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const totals = await writeVersion(
      trx,
      actor,
      { id: estimateId, jobId: job.id },
      1,
      { ...input, lines },
      now,
    );
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.estimate.created",
      subjectType: "estimate",
      subjectId: estimateId,
      data: { jobId: job.id, totalMinor: totals.totalMinor },
    });
    return estimateId;
  });
  return getEstimate(db, actor.organizationId, id);
}

/** A revision is a new version; the earlier ones stay as they were sent. */
export async function reviseEstimate(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof reviseEstimateInput>,
  now: Date,
) {
  await inTransaction(db, async (trx) => {
    const estimate = await trx
      .selectFrom("estimate")
      .select(["id", "jobId", "status", "currentVersion"])
      .where("id", "=", input.id)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!estimate) throw notFound("Estimate not found");
    if (!REVISABLE.includes(estimate.status)) {
      throw conflict("The customer approved this estimate; invoice it or write a new estimate");
    }
    const version = estimate.currentVersion + 1;
    const totals = await writeVersion(trx, actor, estimate, version, input, now);
    await trx
      .updateTable("estimate")
      .set({ currentVersion: version, status: "draft", changeRequest: null, updatedAt: now })
      .where("id", "=", estimate.id)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.estimate.revised",
      subjectType: "estimate",
      subjectId: estimate.id,
      data: { version, totalMinor: totals.totalMinor },
    });
  });
  return getEstimate(db, actor.organizationId, input.id);
}

/** The estimate with every version, newest first (`current` is the one the customer sees). */
export async function getEstimate(db: Executor, organizationId: string, id: string) {
  const estimate = await db
    .selectFrom("estimate")
    .innerJoin("job", "job.id", "estimate.jobId")
    .innerJoin("customer", "customer.id", "job.customerId")
    .selectAll("estimate")
    .select([
      "job.number as jobNumber",
      "job.title as jobTitle",
      "job.status as jobStatus",
      "customer.id as customerId",
      "customer.name as customerName",
      "customer.email as customerEmail",
    ])
    .where("estimate.id", "=", id)
    .where("estimate.organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!estimate) throw notFound("Estimate not found");
  const versions = await db
    .selectFrom("estimateVersion")
    .selectAll()
    .where("estimateId", "=", id)
    .orderBy("version", "desc")
    .execute();
  const current = versions.find((v) => v.version === estimate.currentVersion);
  if (!current) throw notFound("Estimate not found");
  const paid = await db
    .selectFrom("billingPayment")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amountMinor"), eb.lit(0)).as("minor"))
    .where("estimateId", "=", id)
    .where("isDeposit", "=", true)
    .where("kind", "=", "payment")
    .where("status", "=", "succeeded")
    .executeTakeFirstOrThrow();
  return { ...estimate, current, versions, depositPaidMinor: Number(paid.minor) };
}

export async function listEstimates(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof listEstimatesInput>,
) {
  let q = db
    .selectFrom("estimate")
    .innerJoin("estimateVersion", (j) =>
      j
        .onRef("estimateVersion.estimateId", "=", "estimate.id")
        .onRef("estimateVersion.version", "=", "estimate.currentVersion"),
    )
    .innerJoin("job", "job.id", "estimate.jobId")
    .innerJoin("customer", "customer.id", "job.customerId")
    .select([
      "estimate.id",
      "estimate.jobId",
      "estimate.status",
      "estimate.currency",
      "estimate.currentVersion",
      "estimate.updatedAt",
      "estimateVersion.totalMinor",
      "estimateVersion.depositMinor",
      "estimateVersion.validUntil",
      "job.number as jobNumber",
      "job.title as jobTitle",
      "customer.name as customerName",
    ])
    .where("estimate.organizationId", "=", organizationId);
  if (input.jobId) q = q.where("estimate.jobId", "=", input.jobId);
  if (input.status) q = q.where("estimate.status", "=", input.status);
  return q.orderBy("estimate.updatedAt", "desc").limit(200).execute();
}
