import { type Database, newId, recordAudit } from "@ktizo/db";
import type { Clock, MailService, StorageService } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { conflict, notFound } from "../kernel/index.ts";
import { shopFormat } from "../shop/shop-format.ts";
import {
  type AnyTrx,
  DELETION_GRACE_DAYS,
  type PurgeResult,
  purgeDue,
  scheduledRequestStatus,
  scrubMentions,
} from "./deletion.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Name and URL prefix of the record that keeps a purged shop's marketplace orders (P23). */
export const CLOSED_SHOP_NAME = "Closed shop";

export const cancelShopInput = z.object({
  /** The shop's URL name typed again, so a shop is never cancelled by a stray click. */
  confirmSlug: z.string().trim().toLowerCase().min(1, "Type the shop's URL name to confirm"),
});

export interface ShopCancellationStatus {
  scheduled: boolean;
  requestId: string | null;
  requestedAt: Date | null;
  /** When the purge may run. */
  dueAt: Date | null;
}

interface ShopActor {
  organizationId: string;
  userId: string;
}

/**
 * What undo puts back: the shop's listing and widget switches as they were before the cancellation.
 * `byPlatform`: a platform admin cancelled the shop (moderation), so the owner cannot undo it.
 */
const restoreSchema = z.object({
  listed: z.boolean(),
  widgetEnabled: z.boolean(),
  byPlatform: z.boolean().optional(),
});

/** A cancellation by a platform admin from the admin console, with the reason the members are emailed. */
export interface PlatformCancellation {
  reason: string;
}

export function shopCancellationStatus(
  db: Database,
  organizationId: string,
): Promise<ShopCancellationStatus> {
  return scheduledRequestStatus(db, "shop_deletion", "organizationId", organizationId);
}

async function memberEmails(db: Database, organizationId: string) {
  return db
    .selectFrom("member")
    .innerJoin("user", "user.id", "member.userId")
    .select(["user.id", "user.email"])
    .where("member.organizationId", "=", organizationId)
    .execute();
}

/**
 * Cancels a shop (owners only, P21 for organizations): the shop is unlisted, its widget switched off,
 * open quotes expire and carts lose its items, so it takes no new orders from now on. Its data stays
 * for the grace period (members keep working, can export, and the owner can undo); every member is
 * told by a service email. After the grace period the purge job deletes it.
 */
export async function cancelShop(
  db: Database,
  mail: MailService,
  clock: Clock,
  actor: ShopActor,
  input: z.infer<typeof cancelShopInput>,
  byPlatform?: PlatformCancellation,
): Promise<ShopCancellationStatus> {
  const now = clock.now();
  const dueAt = new Date(now.getTime() + DELETION_GRACE_DAYS * DAY_MS);
  const org = await db
    .selectFrom("organization")
    .select(["id", "slug", "name"])
    .where("id", "=", actor.organizationId)
    .executeTakeFirst();
  if (!org) throw notFound("Shop not found");
  if (input.confirmSlug !== org.slug) {
    throw conflict("The URL name does not match", { confirmSlug: `Type ${org.slug} to confirm` });
  }
  const requestId = newId("prq");
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("privacyRequest")
      .select("id")
      .where("organizationId", "=", org.id)
      .where("kind", "=", "shop_deletion")
      .where("status", "=", "scheduled")
      .forUpdate()
      .executeTakeFirst();
    if (existing) throw conflict("This shop is already scheduled for deletion");
    const settings = await trx
      .selectFrom("shopSettings")
      .select(["listed", sql<boolean>`coalesce((widget->>'enabled')::boolean, false)`.as("widgetEnabled")])
      .where("organizationId", "=", org.id)
      .executeTakeFirst();
    const restore = {
      listed: settings?.listed ?? false,
      widgetEnabled: settings?.widgetEnabled ?? false,
      ...(byPlatform ? { byPlatform: true } : {}),
    };
    await trx
      .insertInto("privacyRequest")
      .values({
        id: requestId,
        kind: "shop_deletion",
        status: "scheduled",
        userId: actor.userId,
        organizationId: org.id,
        requestedAt: now,
        dueAt,
        data: JSON.stringify(restore),
      })
      .execute();
    // No new orders: off the marketplace, widget off, open quotes expired and out of every cart.
    await trx
      .updateTable("shopSettings")
      .set({
        listed: false,
        widget: sql<string>`jsonb_set(widget, '{enabled}', 'false'::jsonb, true)`,
        updatedAt: now,
      })
      .where("organizationId", "=", org.id)
      .execute();
    await trx.deleteFrom("cartItem").where("organizationId", "=", org.id).execute();
    await trx
      .updateTable("marketplaceQuote")
      .set({ expiresAt: now })
      .where("organizationId", "=", org.id)
      .where("expiresAt", ">", now)
      .execute();
    await recordAudit(trx, {
      organizationId: org.id,
      actorUserId: actor.userId,
      action: byPlatform ? "admin.shop.cancelled" : "shop.cancellation.scheduled",
      subjectType: "privacy_request",
      subjectId: requestId,
      data: {
        dueAt: dueAt.toISOString(),
        ...(byPlatform ? { reason: byPlatform.reason } : {}),
      },
      at: now,
    });
  });
  // The day as the shop's members read it: in its time zone, with its country's conventions.
  const day = (await shopFormat(db, org.id)).date(dueAt);
  for (const m of await memberEmails(db, org.id)) {
    await mail.send({
      to: m.email,
      subject: `${org.name} is scheduled for deletion`,
      text: byPlatform
        ? `The Ktizo platform team cancelled ${org.name}. Reason: ${byPlatform.reason}\n\n` +
          `It no longer takes orders, and its workspace (jobs, customers, files) will be permanently ` +
          `deleted on ${day}. Until then you can keep working and export what you need. If you think ` +
          "this is a mistake, reply to this email before that day."
        : `The owner of ${org.name} cancelled the shop on Ktizo. It no longer takes orders, and its ` +
          `workspace (jobs, customers, files) will be permanently deleted on ${day}.\n\n` +
          "Until then you can keep working and export what you need; the owner can undo the cancellation " +
          "in the shop's settings.",
      template: "shop-deletion-scheduled",
      category: "service",
      userId: m.id,
      organizationId: org.id,
    });
  }
  return { scheduled: true, requestId, requestedAt: now, dueAt };
}

/** Undo within the grace period (owners only): the listing and widget come back as they were. */
export async function undoShopCancellation(
  db: Database,
  clock: Clock,
  actor: ShopActor,
): Promise<ShopCancellationStatus> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("privacyRequest")
      .set({ status: "cancelled", completedAt: now })
      .where("organizationId", "=", actor.organizationId)
      .where("kind", "=", "shop_deletion")
      .where("status", "=", "scheduled")
      .returning(["id", "data"])
      .executeTakeFirst();
    if (!row) throw notFound("No deletion is scheduled for this shop");
    const restore = restoreSchema.safeParse(row.data);
    // The platform cancelled it: the owner cannot take that back (the transaction rolls back).
    if (restore.success && restore.data.byPlatform) {
      throw conflict("The platform cancelled this shop: reply to its email to ask for it back");
    }
    if (restore.success) {
      await trx
        .updateTable("shopSettings")
        .set({
          listed: restore.data.listed,
          widget: sql<string>`jsonb_set(widget, '{enabled}', ${JSON.stringify(restore.data.widgetEnabled)}::jsonb, true)`,
          updatedAt: now,
        })
        .where("organizationId", "=", actor.organizationId)
        .execute();
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "shop.cancellation.undone",
      subjectType: "privacy_request",
      subjectId: row.id,
      at: now,
    });
  });
  return shopCancellationStatus(db, actor.organizationId);
}

export type ShopPurgeResult = PurgeResult;

/**
 * The retention job's work for shops: every cancellation whose grace period has ended is carried out,
 * each in its own transaction that re-reads the request under a row lock (still scheduled, still due),
 * so a second run, a concurrent run or an undo that raced it never deletes twice or too early.
 */
export async function purgeDueShops(
  db: Database,
  deps: { storage: StorageService; clock: Clock },
): Promise<ShopPurgeResult> {
  const now = deps.clock.now();
  return purgeDue(db, "shop_deletion", now, (id) => purgeShop(db, deps.storage, now, id));
}

/** Storage keys held by any table with an `organization_id` and a `storage_key` column. */
async function organizationFileKeys(trx: AnyTrx, organizationId: string): Promise<string[]> {
  const tables = await sql<{ tbl: string }>`
    select c.table_name as tbl from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.column_name = 'storage_key'
      and exists (select 1 from information_schema.columns o where o.table_schema = 'public'
        and o.table_name = c.table_name and o.column_name = 'organization_id')`.execute(trx);
  const keys: string[] = [];
  for (const { tbl } of tables.rows) {
    const r = await sql<{ k: string }>`select storage_key as k from ${sql.table(tbl)}
      where organization_id = ${organizationId} and storage_key is not null`.execute(trx);
    keys.push(...r.rows.map((x) => x.k));
  }
  return keys;
}

async function purgeShop(db: Database, storage: StorageService, now: Date, requestId: string) {
  return db.transaction().execute(async (trx) => {
    const request = await trx
      .selectFrom("privacyRequest")
      .select(["id", "organizationId"])
      .where("id", "=", requestId)
      .where("kind", "=", "shop_deletion")
      .where("status", "=", "scheduled")
      .where("dueAt", "<=", now)
      .forUpdate()
      .executeTakeFirst();
    if (!request?.organizationId) return false;
    const orgId = request.organizationId;
    const raw = trx as unknown as AnyTrx;
    // Answered first (same transaction): the request no longer names the shop the scrub below removes.
    await trx
      .updateTable("privacyRequest")
      .set({ status: "completed", completedAt: now, organizationId: null, data: null })
      .where("id", "=", requestId)
      .execute();
    const org = await trx
      .selectFrom("organization")
      .select(["id", "name", "slug"])
      .where("id", "=", orgId)
      .executeTakeFirst();
    let fileKeys: string[] = [];
    if (org) {
      const contact = await trx
        .selectFrom("shopSettings")
        .select("contactEmail")
        .where("organizationId", "=", orgId)
        .executeTakeFirst();
      fileKeys = await organizationFileKeys(raw, orgId);

      // P23: marketplace orders (the customers' purchases, with their amounts) must be kept. They move
      // to a record of their own that names no shop; the shop's internal job link goes with the jobs.
      const orders = await trx
        .selectFrom("marketplaceOrder")
        .select("id")
        .where("organizationId", "=", orgId)
        .execute();
      if (orders.length > 0) {
        const closedId = newId("org");
        await trx
          .insertInto("organization")
          .values({
            id: closedId,
            name: CLOSED_SHOP_NAME,
            slug: `closed-${closedId.slice(-12).toLowerCase()}`,
            logo: null,
            metadata: JSON.stringify({ closedShop: true }),
          })
          .execute();
        await trx
          .updateTable("marketplaceOrder")
          .set({ organizationId: closedId, jobId: null })
          .where("organizationId", "=", orgId)
          .execute();
        const orderIds = orders.map((o) => o.id);
        // The shop's name inside the customers' copies (timeline notes, messages, notifications).
        for (const needle of [org.name, org.slug]) {
          await trx
            .updateTable("orderEvent")
            .set({ note: sql<string>`replace(note, ${needle}, ${CLOSED_SHOP_NAME})` })
            .where("orderId", "in", orderIds)
            .where(sql<boolean>`strpos(note, ${needle}) > 0`)
            .execute();
          await trx
            .updateTable("orderMessage")
            .set({ body: sql<string>`replace(body, ${needle}, ${CLOSED_SHOP_NAME})` })
            .where("orderId", "in", orderIds)
            .where(sql<boolean>`strpos(body, ${needle}) > 0`)
            .execute();
          await trx
            .updateTable("customerNotification")
            .set({
              title: sql<string>`replace(title, ${needle}, ${CLOSED_SHOP_NAME})`,
              body: sql<string>`replace(body, ${needle}, ${CLOSED_SHOP_NAME})`,
            })
            .where("orderId", "in", orderIds)
            .where(sql<boolean>`strpos(title || ' ' || body, ${needle}) > 0`)
            .execute();
        }
      }
      // Members' sessions leave the shop; the shop's own audit trail goes with its data.
      await trx
        .updateTable("session")
        .set({ activeOrganizationId: null })
        .where("activeOrganizationId", "=", orgId)
        .execute();
      await trx.deleteFrom("auditLog").where("organizationId", "=", orgId).execute();
      // Messages sent on the shop's behalf (also real providers' records of what they sent).
      await trx.deleteFrom("outboxMessage").where("organizationId", "=", orgId).execute();
      // The organization and, by cascade, everything of its workspace: members, invitations, profile,
      // settings, printers, materials, stock, customers, jobs and their files, notifications, reviews,
      // the payment account record and the Google connection.
      await trx.deleteFrom("organization").where("id", "=", orgId).execute();
      await scrubMentions(raw, [orgId], contact?.contactEmail ? [contact.contactEmail] : []);
    }

    await recordAudit(trx, {
      organizationId: null,
      actorUserId: null,
      action: "shop.cancellation.completed",
      subjectType: "privacy_request",
      subjectId: requestId,
      data: { files: fileKeys.length },
      at: now,
    });
    // Files last: a failure above rolls the transaction back with every file still there.
    for (const key of fileKeys) await storage.delete(key);
    return true;
  });
}
