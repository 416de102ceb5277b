import { type Database, newId, type PolicyKind, recordAudit } from "@ktizo/db";
import type { Clock, MailService } from "@ktizo/services";
import { z } from "zod";
import { badRequest, notFound } from "../kernel/index.ts";

/** P31: a new version takes effect at least this many days after it is published and announced. */
export const POLICY_NOTICE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
export const POLICY_KINDS = ["privacy", "terms"] as const;
export const POLICY_TITLES: Record<PolicyKind, string> = {
  privacy: "Privacy policy",
  terms: "Terms of service",
};

export const publishPolicyInput = z.object({
  kind: z.enum(POLICY_KINDS),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(200_000),
  summary: z.string().trim().max(2000).default(""),
  effectiveAt: z.coerce.date(),
});
export type PublishPolicyInput = z.input<typeof publishPolicyInput>;

export interface PolicyVersionSummary {
  id: string;
  kind: PolicyKind;
  version: number;
  title: string;
  summary: string;
  effectiveAt: Date;
  publishedAt: Date;
}

const summaryColumns = ["id", "kind", "version", "title", "summary", "effectiveAt", "publishedAt"] as const;

/**
 * Publishes a new version (P31). The first version of a policy may take effect at once; every later
 * one at least 30 days ahead, and every user is told by the in-app banner at once and by email (a
 * service message: it cannot be switched off) from the `privacy-policy-announce` job, not in this request.
 */
export async function publishPolicy(
  db: Database,
  clock: Clock,
  adminUserId: string,
  raw: PublishPolicyInput,
): Promise<PolicyVersionSummary> {
  const input = publishPolicyInput.parse(raw);
  const now = clock.now();
  const latest = await db
    .selectFrom("policyVersion")
    .select(["version", "effectiveAt"])
    .where("kind", "=", input.kind)
    .orderBy("version", "desc")
    .executeTakeFirst();
  const earliest = latest ? new Date(now.getTime() + POLICY_NOTICE_DAYS * DAY_MS) : now;
  if (input.effectiveAt.getTime() < earliest.getTime() - 60_000) {
    throw badRequest(
      latest
        ? `A new version must take effect at least ${POLICY_NOTICE_DAYS} days from now (on or after ${earliest.toISOString().slice(0, 10)})`
        : "The effective date cannot be in the past",
      { effectiveAt: `On or after ${earliest.toISOString().slice(0, 10)}` },
    );
  }
  if (latest && input.effectiveAt.getTime() <= latest.effectiveAt.getTime()) {
    throw badRequest("A new version must take effect after the current one", {
      effectiveAt: "After the latest version's effective date",
    });
  }
  const row: PolicyVersionSummary = {
    id: newId("pol"),
    kind: input.kind,
    version: (latest?.version ?? 0) + 1,
    title: input.title,
    summary: input.summary,
    effectiveAt: input.effectiveAt,
    publishedAt: now,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("policyVersion")
      // The first version needs no notice (nobody accepted an earlier one); later ones await the job.
      .values({ ...row, body: input.body, publishedBy: adminUserId, announcedAt: latest ? null : now })
      .execute();
    await recordAudit(trx, {
      actorUserId: adminUserId,
      action: "policy.published",
      subjectType: "policy_version",
      subjectId: row.id,
      data: {
        kind: row.kind,
        version: row.version,
        effectiveAt: row.effectiveAt.toISOString(),
      },
      at: now,
    });
  });
  return row;
}

/** Users read per step. */
const ANNOUNCE_BATCH = 200;

/**
 * The announcement job's work (P31): every published version not yet announced is emailed to every
 * verified account, in user-id order. After each email the version's cursor moves to that user (only
 * if no other worker moved it meanwhile; otherwise this run stops), so a run that fails half-way
 * resumes after the last person emailed and nobody gets the notice twice. No transaction is held while
 * mail is sent. Returns the number of emails sent.
 */
export async function announcePendingPolicies(
  db: Database,
  mail: MailService,
  now: Date,
  batchSize = ANNOUNCE_BATCH,
): Promise<number> {
  let sent = 0;
  for (;;) {
    const policy = await db
      .selectFrom("policyVersion")
      .select(["id", "kind", "summary", "effectiveAt", "announceCursor"])
      .where("announcedAt", "is", null)
      .orderBy("publishedAt")
      .limit(1)
      .executeTakeFirst();
    if (!policy) return sent;
    let query = db
      .selectFrom("user")
      .select(["id", "email"])
      .where("emailVerified", "=", true)
      .orderBy("id")
      .limit(batchSize);
    if (policy.announceCursor) query = query.where("id", ">", policy.announceCursor);
    const batch = await query.execute();
    const title = POLICY_TITLES[policy.kind].toLowerCase();
    const day = policy.effectiveAt.toISOString().slice(0, 10);
    let cursor = policy.announceCursor;
    for (const user of batch) {
      await mail.send({
        to: user.email,
        subject: `Our ${title} changes on ${day}`,
        text:
          `We are updating our ${title}. The new version takes effect on ${day}.\n\n` +
          `${policy.summary ? `What changes: ${policy.summary}\n\n` : ""}` +
          `Read it at /policies/${policy.kind}.`,
        template: "policy-change",
        category: "service",
        userId: user.id,
      });
      sent += 1;
      const moved = await db
        .updateTable("policyVersion")
        .set({ announceCursor: user.id })
        .where("id", "=", policy.id)
        .where((eb) =>
          cursor === null ? eb("announceCursor", "is", null) : eb("announceCursor", "=", cursor),
        )
        .executeTakeFirst();
      // Another worker is announcing this version: leave the rest to it.
      if (Number(moved.numUpdatedRows) === 0) return sent;
      cursor = user.id;
    }
    if (batch.length < batchSize) {
      await db.updateTable("policyVersion").set({ announcedAt: now }).where("id", "=", policy.id).execute();
    }
  }
}

/** The version in force now, and the next one if announced, for each policy. */
export async function currentPolicies(
  db: Database,
  now: Date,
): Promise<
  { kind: PolicyKind; current: PolicyVersionSummary | null; upcoming: PolicyVersionSummary | null }[]
> {
  const rows = await db
    .selectFrom("policyVersion")
    .select(summaryColumns)
    .orderBy("version", "desc")
    .execute();
  return inForce(rows, now);
}

/** For each policy kind, of versions newest first: the one in force at `now` and the next announced. */
function inForce<Version extends PolicyVersionSummary>(versions: Version[], now: Date) {
  return POLICY_KINDS.map((kind) => {
    const ofKind = versions.filter((r) => r.kind === kind);
    return {
      kind,
      current: ofKind.find((r) => r.effectiveAt <= now) ?? null,
      upcoming: ofKind.filter((r) => r.effectiveAt > now).at(-1) ?? null,
    };
  });
}

export async function getPolicy(
  db: Database,
  now: Date,
  kind: PolicyKind,
  version?: number,
): Promise<PolicyVersionSummary & { body: string; versions: PolicyVersionSummary[] }> {
  const versions = await db
    .selectFrom("policyVersion")
    .select(summaryColumns)
    .where("kind", "=", kind)
    .orderBy("version", "desc")
    .execute();
  const chosen =
    version === undefined
      ? versions.find((v) => v.effectiveAt <= now)
      : versions.find((v) => v.version === version);
  if (!chosen) throw notFound("This policy has not been published yet");
  const { body } = await db
    .selectFrom("policyVersion")
    .select("body")
    .where("id", "=", chosen.id)
    .executeTakeFirstOrThrow();
  return { ...chosen, body, versions };
}

export interface PendingPolicies {
  /** Announced versions not yet in force: the banner says what changes and when. */
  upcoming: PolicyVersionSummary[];
  /** Versions in force that the user has not accepted (recorded at the first sign-in after the date). */
  unaccepted: PolicyVersionSummary[];
}

export async function pendingPolicies(db: Database, userId: string, now: Date): Promise<PendingPolicies> {
  // Every version with whether this user accepted it, in one statement (every signed-in page view asks).
  const rows = await db
    .selectFrom("policyVersion")
    .leftJoin("policyAcceptance", (join) =>
      join
        .onRef("policyAcceptance.policyVersionId", "=", "policyVersion.id")
        .on("policyAcceptance.userId", "=", userId),
    )
    .select(summaryColumns)
    .select("policyAcceptance.acceptedAt")
    .orderBy("version", "desc")
    .execute();
  const pending = (version: (typeof rows)[number] | null): PolicyVersionSummary[] => {
    if (!version || version.acceptedAt !== null) return [];
    const { acceptedAt: _, ...summary } = version;
    return [summary];
  };
  const all = inForce(rows, now);
  return {
    upcoming: all.flatMap((p) => pending(p.upcoming)),
    unaccepted: all.flatMap((p) => pending(p.current)),
  };
}

/**
 * Records acceptance (P31) of the versions in force (and, from the banner, the announced ones).
 * Call with "sign-up" when an account is created and "sign-in" at every sign-in: only versions not yet
 * accepted are recorded, so the first sign-in after an effective date is the one that records it.
 */
export async function acceptPolicies(
  db: Database,
  userId: string,
  now: Date,
  context: "sign-up" | "sign-in" | "banner",
): Promise<string[]> {
  const pending = await pendingPolicies(db, userId, now);
  const ids = [...pending.unaccepted, ...(context === "banner" ? pending.upcoming : [])].map((p) => p.id);
  if (ids.length === 0) return [];
  await db
    .insertInto("policyAcceptance")
    .values(ids.map((policyVersionId) => ({ userId, policyVersionId, acceptedAt: now, context })))
    .onConflict((oc) => oc.columns(["userId", "policyVersionId"]).doNothing())
    .execute();
  return ids;
}

/** Every version with how many accounts accepted it (admin console). */
export async function listPolicyVersions(db: Database) {
  return db
    .selectFrom("policyVersion")
    .leftJoin("policyAcceptance", "policyAcceptance.policyVersionId", "policyVersion.id")
    .select((eb) => [
      "policyVersion.id",
      "policyVersion.kind",
      "policyVersion.version",
      "policyVersion.title",
      "policyVersion.summary",
      "policyVersion.effectiveAt",
      "policyVersion.publishedAt",
      eb.fn.count<string>("policyAcceptance.userId").as("acceptances"),
    ])
    .groupBy("policyVersion.id")
    .orderBy("policyVersion.kind")
    .orderBy("policyVersion.version", "desc")
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, acceptances: Number(r.acceptances) })));
}
