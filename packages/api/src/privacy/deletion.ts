import { type Database, newId, recordAudit } from "@ktizo/db";
import type { Clock, GoogleService, MailService, StorageService } from "@ktizo/services";
import { type Kysely, sql, type Transaction } from "kysely";
import { z } from "zod";
import { conflict, type Executor, notFound } from "../kernel/index.ts";
import { textColumns } from "./tables.ts";

/** P21: a cancelled account is kept this long (export and undo still possible), then purged. */
export const DELETION_GRACE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What replaces the person's email address in records that must be kept (P23). */
const DELETED_EMAIL = "deleted-user@ktizo.invalid";

export const DELETION_CONFIRMATION = "delete my account";
export const requestDeletionInput = z.object({
  confirmation: z.string().refine((v) => v.trim().toLowerCase() === DELETION_CONFIRMATION, {
    message: `Type "${DELETION_CONFIRMATION}" to confirm`,
  }),
});

export interface DeletionStatus {
  scheduled: boolean;
  requestId: string | null;
  requestedAt: Date | null;
  /** When the purge may run. */
  dueAt: Date | null;
}

export function deletionStatus(db: Database, userId: string): Promise<DeletionStatus> {
  return scheduledRequestStatus(db, "deletion", "userId", userId);
}

/**
 * Whether an account (`userId`) or a shop (`organizationId`) waits for its deletion of `kind`, with the
 * scheduled request's id and dates.
 */
export async function scheduledRequestStatus(
  db: Database,
  kind: "deletion" | "shop_deletion",
  owner: "userId" | "organizationId",
  ownerId: string,
): Promise<DeletionStatus> {
  const row = await db
    .selectFrom("privacyRequest")
    .select(["id", "requestedAt", "dueAt"])
    .where(owner, "=", ownerId)
    .where("kind", "=", kind)
    .where("status", "=", "scheduled")
    .executeTakeFirst();
  return row
    ? { scheduled: true, requestId: row.id, requestedAt: row.requestedAt, dueAt: row.dueAt }
    : { scheduled: false, requestId: null, requestedAt: null, dueAt: null };
}

/** Whether the user's account waits for deletion (a scheduled request, not yet undone or carried out). */
export async function deletionScheduled(db: Executor, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("privacyRequest")
    .select("id")
    .where("userId", "=", userId)
    .where("kind", "=", "deletion")
    .where("status", "=", "scheduled")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Schedules the account's deletion (P21, P26): data stays for the grace period, export and undo still
 * work, and every session ends now (P3). The user is told by a service email.
 */
export async function requestDeletion(
  db: Database,
  mail: MailService,
  clock: Clock,
  userId: string,
): Promise<DeletionStatus> {
  const now = clock.now();
  const dueAt = new Date(now.getTime() + DELETION_GRACE_DAYS * DAY_MS);
  const user = await db.selectFrom("user").select(["email"]).where("id", "=", userId).executeTakeFirst();
  if (!user) throw notFound("Account not found");
  const requestId = newId("prq");
  await db.transaction().execute(async (trx) => {
    if (await deletionScheduled(trx, userId))
      throw conflict("Your account is already scheduled for deletion");
    await trx
      .insertInto("privacyRequest")
      .values({ id: requestId, kind: "deletion", status: "scheduled", userId, requestedAt: now, dueAt })
      .execute();
    await trx.deleteFrom("session").where("userId", "=", userId).execute();
    await recordAudit(trx, {
      actorUserId: userId,
      action: "privacy.deletion.scheduled",
      subjectType: "privacy_request",
      subjectId: requestId,
      data: { dueAt: dueAt.toISOString() },
      at: now,
    });
  });
  const day = dueAt.toISOString().slice(0, 10);
  await mail.send({
    to: user.email,
    subject: "Your Ktizo account is scheduled for deletion",
    text:
      `You asked us to delete your Ktizo account. It will be permanently deleted on ${day}.\n\n` +
      "Until then you can still download your data, or sign in and undo the deletion in Privacy settings.\n" +
      "All your sessions have been signed out.",
    template: "account-deletion-scheduled",
    category: "service",
    userId,
  });
  return { scheduled: true, requestId, requestedAt: now, dueAt };
}

/** Undo within the grace period (P21). */
export async function cancelDeletion(db: Database, clock: Clock, userId: string): Promise<DeletionStatus> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("privacyRequest")
      .set({ status: "cancelled", completedAt: now })
      .where("userId", "=", userId)
      .where("kind", "=", "deletion")
      .where("status", "=", "scheduled")
      .returning("id")
      .executeTakeFirst();
    if (!row) throw notFound("No deletion is scheduled for your account");
    await recordAudit(trx, {
      actorUserId: userId,
      action: "privacy.deletion.cancelled",
      subjectType: "privacy_request",
      subjectId: row.id,
      at: now,
    });
  });
  return deletionStatus(db, userId);
}

export interface PurgeResult {
  purged: string[];
  skipped: string[];
}

/**
 * The retention job's work (P21, P23, P26): every deletion whose grace period has ended is carried
 * out, each in its own transaction that first re-reads the request (still scheduled, still due), so a
 * second run, a concurrent run or an undo that raced it never deletes twice or deletes too early.
 */
/**
 * Before an account is purged, its Google grants are revoked at Google (issue 13): deleting our copy of a
 * token alone would leave Google's grant standing. Best effort, as in disconnect; the purge deletes the
 * rows in any case.
 */
async function revokeGoogle(db: Database, google: Pick<GoogleService, "disconnect">, requestId: string) {
  const accounts = await db
    .selectFrom("privacyRequest as r")
    .innerJoin("googleAccount as a", "a.userId", "r.userId")
    .select(["a.organizationId", "a.userId"])
    .where("r.id", "=", requestId)
    .where("r.status", "=", "scheduled")
    .execute();
  for (const account of accounts) {
    await google
      .disconnect({ organizationId: account.organizationId, userId: account.userId })
      .catch(() => undefined);
  }
}

export async function purgeDueAccounts(
  db: Database,
  deps: { storage: StorageService; clock: Clock; google?: Pick<GoogleService, "disconnect"> },
): Promise<PurgeResult> {
  const now = deps.clock.now();
  return purgeDue(db, "deletion", now, async (id) => {
    if (deps.google) await revokeGoogle(db, deps.google, id);
    return purgeOne(db, deps.storage, now, id);
  });
}

/**
 * Carries out every scheduled request of `kind` whose grace period has ended, oldest first, one at a
 * time: `purge` answers whether it did (false when the request was undone or done meanwhile).
 */
export async function purgeDue(
  db: Database,
  kind: "deletion" | "shop_deletion",
  now: Date,
  purge: (requestId: string) => Promise<boolean>,
): Promise<PurgeResult> {
  const due = await db
    .selectFrom("privacyRequest")
    .select("id")
    .where("kind", "=", kind)
    .where("status", "=", "scheduled")
    .where("dueAt", "<=", now)
    .orderBy("dueAt")
    .execute();
  const result: PurgeResult = { purged: [], skipped: [] };
  for (const { id } of due) ((await purge(id)) ? result.purged : result.skipped).push(id);
  return result;
}

// biome-ignore lint/suspicious/noExplicitAny: raw steps reach tables other domains add later
export type AnyTrx = Transaction<any> | Kysely<any>;

async function tableExists(trx: AnyTrx, table: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.tables
    where table_schema = 'public' and table_name = ${table}`.execute(trx);
  return (r.rows[0]?.n ?? 0) > 0;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function purgeOne(
  db: Database,
  storage: StorageService,
  now: Date,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Re-check under a row lock: still scheduled and due.
    const request = await trx
      .selectFrom("privacyRequest")
      .select(["id", "userId", "dueAt"])
      .where("id", "=", requestId)
      .where("status", "=", "scheduled")
      .where("dueAt", "<=", now)
      .forUpdate()
      .executeTakeFirst();
    if (!request?.userId) return false;
    const userId = request.userId;
    const user = await trx
      .selectFrom("user")
      .select(["id", "email", "name"])
      .where("id", "=", userId)
      .executeTakeFirst();
    const raw = trx as unknown as AnyTrx;
    const fileKeys: string[] = [];

    if (user) {
      const email = user.email;
      // Files that are the user's own: their exports, their marketplace uploads and message attachments.
      const exports = await trx
        .selectFrom("privacyRequest")
        .select("fileKey")
        .where("userId", "=", userId)
        .where("kind", "=", "export")
        .execute();
      for (const e of exports) if (e.fileKey) fileKeys.push(e.fileKey);
      await trx
        .deleteFrom("privacyRequest")
        .where("userId", "=", userId)
        .where("kind", "=", "export")
        .execute();

      if (await tableExists(raw, "model_upload")) {
        const r = await sql<{ k: string }>`
          select storage_key as k from model_upload where user_id = ${userId}`.execute(raw);
        fileKeys.push(...r.rows.map((x) => x.k));
      }
      if (await tableExists(raw, "marketplace_order")) {
        // P23: orders keep their amounts and what tax law needs; the person is taken out.
        // The order no longer belongs to anyone (user_id null, as for a guest order).
        await sql`update marketplace_order set
            user_id = null,
            customer_name = 'Deleted customer',
            customer_email = ${DELETED_EMAIL},
            shipping_address = jsonb_build_object('country', shipping_address->>'country'),
            tracking_number = null
          where user_id = ${userId}`.execute(raw);
      }
      if (await tableExists(raw, "order_message")) {
        const r = await sql<{ k: string }>`
          select attachment_key as k from order_message
          where author_user_id = ${userId} and attachment_key is not null`.execute(raw);
        fileKeys.push(...r.rows.map((x) => x.k));
        await sql`update order_message set body = '[deleted]', attachment_key = null, attachment_name = null,
            attachment_type = null
          where author_user_id = ${userId}`.execute(raw);
      }
      if (await tableExists(raw, "shop_review")) {
        await sql`delete from shop_review where user_id = ${userId}`.execute(raw);
      }
      // A shop's customer record of this person keeps its jobs and amounts, loses the personal data,
      // including the name where a job's title or notes repeat it.
      const customers = await trx
        .selectFrom("customer")
        .select("id")
        .where((eb) =>
          eb.or([eb("userId", "=", userId), eb(eb.fn("lower", ["email"]), "=", email.toLowerCase())]),
        )
        .execute();
      const customerIds = customers.map((c) => c.id);
      if (customerIds.length > 0 && user.name.trim().length > 0) {
        const jobIds = trx.selectFrom("job").select("id").where("customerId", "in", customerIds);
        await sql`update job set title = replace(title, ${user.name}, 'Deleted customer')
          where customer_id in (${sql.join(customerIds)})`.execute(raw);
        await trx
          .updateTable("jobNote")
          .set({ body: sql<string>`replace(body, ${user.name}, 'Deleted customer')` })
          .where("jobId", "in", jobIds)
          .execute();
        await trx
          .updateTable("jobStatusChange")
          .set({ note: sql<string>`replace(note, ${user.name}, 'Deleted customer')` })
          .where("jobId", "in", jobIds)
          .execute();
      }
      if (customerIds.length > 0) {
        // Issue 13: a job's Drive folder is named after its customer, and the cached copies of mail
        // linked to their jobs or record name them: the folder is renamed, the cache dropped (the
        // conversation keeps its own copy, scrubbed like every row below).
        const jobIds = trx.selectFrom("job").select("id").where("customerId", "in", customerIds);
        if (user.name.trim().length > 0) {
          await trx
            .updateTable("driveFolder")
            .set({ name: sql<string>`replace(name, ${user.name}, 'Deleted customer')` })
            .where("jobId", "in", jobIds)
            .execute();
        }
        const threads = trx
          .selectFrom("gmailThreadLink")
          .select("threadId")
          .where((eb) => eb.or([eb("jobId", "in", jobIds), eb("customerId", "in", customerIds)]));
        await trx.deleteFrom("gmailMessage").where("threadId", "in", threads).execute();
        await trx
          .updateTable("gmailThreadLink")
          .set({ subject: null })
          .where((eb) => eb.or([eb("jobId", "in", jobIds), eb("customerId", "in", customerIds)]))
          .execute();
      }
      // Their conversations with the shops (texts, emails), their STOP records and the texts in the
      // outbox go; messages they wrote as a shop's staff stay the shop's, without their name.
      const phones = (
        await trx
          .selectFrom("customer")
          .select(["organizationId", "phoneE164"])
          .where((eb) =>
            eb.or([eb("userId", "=", userId), eb(eb.fn("lower", ["email"]), "=", email.toLowerCase())]),
          )
          .execute()
      ).flatMap((c) => (c.phoneE164 ? [c] : []));
      if (customerIds.length > 0) {
        await trx.deleteFrom("conversationMessage").where("customerId", "in", customerIds).execute();
      }
      for (const p of phones) {
        await trx
          .deleteFrom("smsOptOut")
          .where("organizationId", "=", p.organizationId)
          .where("phoneE164", "=", p.phoneE164 ?? "")
          .execute();
        await trx
          .deleteFrom("outboxMessage")
          .where("recipient", "=", p.phoneE164 ?? "")
          .execute();
      }
      await trx
        .updateTable("conversationMessage")
        .set({ authorLabel: "Deleted user" })
        .where("authorUserId", "=", userId)
        .execute();
      await trx
        .updateTable("customer")
        .set({
          userId: null,
          name: "Deleted customer",
          company: null,
          email: null,
          phone: null,
          phoneE164: null,
          notifyChannel: "email",
          smsConsentAt: null,
          smsConsentSource: null,
          smsConsentBy: null,
          addresses: JSON.stringify([]),
          notes: "",
        })
        .where((eb) =>
          eb.or([eb("userId", "=", userId), eb(eb.fn("lower", ["email"]), "=", email.toLowerCase())]),
        )
        .execute();
      await trx
        .deleteFrom("invitation")
        .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
        .execute();
      await trx
        .deleteFrom("verification")
        .where((eb) =>
          eb.or([
            eb(eb.fn("lower", ["identifier"]), "=", email.toLowerCase()),
            eb("value", "like", `%${userId}%`),
          ]),
        )
        .execute();
      await trx
        .deleteFrom("outboxMessage")
        .where((eb) =>
          eb.or([eb("userId", "=", userId), eb(eb.fn("lower", ["recipient"]), "=", email.toLowerCase())]),
        )
        .execute();
      await trx.deleteFrom("rateLimit").where("key", "like", `%${userId}%`).execute();
      // The AI audit trail and suggestion outcomes (issue 15): the shop keeps that a request was made
      // (feature, kinds of data, tokens), no longer who made it.
      await trx.updateTable("aiRequestLog").set({ userId: null }).where("userId", "=", userId).execute();
      await trx
        .updateTable("aiSuggestionOutcome")
        .set({ userId: null })
        .where("userId", "=", userId)
        .execute();
      await trx
        .updateTable("auditLog")
        .set({ data: JSON.stringify({ redacted: true }) })
        .where((eb) =>
          eb.or([
            sql<boolean>`strpos(data::text, ${userId}) > 0`,
            sql<boolean>`strpos(lower(data::text), ${email.toLowerCase()}) > 0`,
            sql<boolean>`strpos(data::text, ${user.name}) > 0`,
          ]),
        )
        .execute();
      // Their Google accounts' addresses (issue 13): the accounts, tokens, links and cached mail go with
      // the user (foreign keys); the addresses are scrubbed wherever else they were written.
      const gmailAddresses = (
        await trx.selectFrom("googleAccount").select("email").where("userId", "=", userId).execute()
      ).map((a) => a.email);
      // The account itself: sessions, sign-in methods, memberships and settings go with it.
      await trx.deleteFrom("user").where("id", "=", userId).execute();

      // Anything left that still names the person (columns without a foreign key, tables added later).
      await scrubMentions(raw, [userId], [email, ...gmailAddresses]);
    }

    for (const key of fileKeys) await storage.delete(key);

    await trx
      .updateTable("privacyRequest")
      .set({ status: "completed", completedAt: now, userId: null })
      .where("id", "=", requestId)
      .execute();
    await recordAudit(trx, {
      actorUserId: null,
      action: "privacy.deletion.completed",
      subjectType: "privacy_request",
      subjectId: requestId,
      data: { files: fileKeys.length },
      at: now,
    });
    return true;
  });
}

/**
 * Replaces ids and email addresses wherever they still occur as a value (an actor column without a
 * foreign key, an id inside a JSON document): nullable columns holding exactly an id become null,
 * other mentions are rewritten to "deleted".
 */
export async function scrubMentions(trx: AnyTrx, ids: string[], emails: string[]): Promise<void> {
  const columns = await textColumns(trx as unknown as Database);
  const nullable = await sql<{ tbl: string; col: string }>`
    select table_name as tbl, column_name as col from information_schema.columns
    where table_schema = 'public' and is_nullable = 'YES'`.execute(trx);
  const isNullable = new Set(nullable.rows.map((r) => `${r.tbl}.${r.col}`));
  for (const id of ids.filter((v) => v.length > 0)) {
    for (const c of columns) {
      const col = sql.ref(c.column);
      const table = sql.table(c.table);
      if (c.json) {
        await sql`update ${table} set ${col} = (replace(${col}::text, ${id}, 'deleted'))::${sql.raw(c.jsonType ?? "jsonb")}
          where strpos(${col}::text, ${id}) > 0`.execute(trx);
        continue;
      }
      if (isNullable.has(`${c.table}.${c.column}`)) {
        await sql`update ${table} set ${col} = null where ${col} = ${id}`.execute(trx);
      }
      await sql`update ${table} set ${col} = replace(${col}, ${id}, 'deleted')
        where strpos(${col}, ${id}) > 0`.execute(trx);
    }
  }
  for (const email of emails.filter((v) => v.length > 0)) {
    const emailPattern = `(?<![A-Za-z0-9._%+-])${escapeRegex(email)}(?![A-Za-z0-9-])`;
    for (const c of columns) {
      const col = sql.ref(c.column);
      const table = sql.table(c.table);
      if (c.json) {
        await sql`update ${table} set ${col} = (regexp_replace(${col}::text, ${emailPattern}, ${DELETED_EMAIL}, 'gi'))::${sql.raw(c.jsonType ?? "jsonb")}
          where ${col}::text ~* ${emailPattern}`.execute(trx);
        continue;
      }
      await sql`update ${table} set ${col} = regexp_replace(${col}, ${emailPattern}, ${DELETED_EMAIL}, 'gi')
        where ${col} ~* ${emailPattern}`.execute(trx);
    }
  }
}
