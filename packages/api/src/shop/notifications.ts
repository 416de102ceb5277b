import { newId } from "@ktizo/db";
import type { MailService } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { type Executor, type MemberActor, type Page, paginationSchema, toPage } from "../kernel/index.ts";

export type NotificationKind =
  | "job.new"
  | "stock.low"
  | "job.overdue"
  | "order.refunded"
  | "order.disputed"
  | "shop.moderated"
  | "plan.payment_failed";

export interface NotificationInput {
  organizationId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  /** At most one notification per key and organization (e.g. "job.overdue:<jobId>"). */
  dedupeKey?: string;
  /** null: everyone in the organization. */
  userId?: string | null;
}

/**
 * Where a notification opens in the shop workspace (the web app's /org/… pages). Links are stored as
 * built here, so every page that lists notifications can use them as they are.
 */
export const workspaceLink = {
  job: (jobId: string) => `/org/jobs/${encodeURIComponent(jobId)}`,
  /** The materials page, showing that material's stock history. */
  material: (materialId: string) => `/org/materials?history=${encodeURIComponent(materialId)}#movements`,
};

/** An email to send once the transaction that created the notification has committed. */
export interface PendingEmail {
  organizationId: string;
  kind: NotificationKind;
  subject: string;
  text: string;
  /** The workspace page the email points at (a workspaceLink path); sent as an absolute link. */
  link?: string | null;
}

/**
 * Records an in-app notification (inside the caller's transaction). Returns false when the dedupe key
 * was already used, so the caller can skip the matching email.
 */
export async function recordNotification(db: Executor, input: NotificationInput): Promise<boolean> {
  const inserted = await db
    .insertInto("notification")
    .values({
      id: newId("ntf"),
      organizationId: input.organizationId,
      userId: input.userId ?? null,
      kind: input.kind,
      title: input.title,
      body: input.body,
      link: input.link,
      dedupeKey: input.dedupeKey ?? null,
    })
    .onConflict((oc) =>
      oc.columns(["organizationId", "dedupeKey"]).where("dedupeKey", "is not", null).doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Emails the shop's owners and admins (service mail). Call after commit; failures do not undo the change. */
export async function emailShopManagers(
  db: Executor,
  mail: Pick<MailService, "send">,
  emails: PendingEmail[],
): Promise<void> {
  for (const email of emails) {
    const recipients = await db
      .selectFrom("member")
      .innerJoin("user", "user.id", "member.userId")
      .select(["user.email", "user.id"])
      .where("member.organizationId", "=", email.organizationId)
      .where("member.role", "in", ["owner", "admin"])
      .execute();
    for (const r of recipients) {
      await mail.send({
        to: r.email,
        subject: email.subject,
        text: email.link ? `${email.text}\n\nOpen it in your workspace: ${email.link}` : email.text,
        template: `shop-${email.kind.replace(".", "-")}`,
        category: "service",
        userId: r.id,
        organizationId: email.organizationId,
      });
    }
  }
}

export const listNotificationsInput = paginationSchema.extend({
  unreadOnly: z.boolean().default(false),
});

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
}

/** The caller's notifications in this organization (shop-wide ones and their own), newest first. */
export async function listNotifications(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof listNotificationsInput>,
): Promise<Page<NotificationView> & { unread: number }> {
  const base = db
    .selectFrom("notification")
    .where("organizationId", "=", actor.organizationId)
    .where((eb) => eb.or([eb("userId", "is", null), eb("userId", "=", actor.userId)]));
  const filtered = input.unreadOnly ? base.where("readAt", "is", null) : base;
  const [items, total, unread] = await Promise.all([
    filtered
      .select(["id", "kind", "title", "body", "link", "readAt", "createdAt"])
      .orderBy("createdAt", "desc")
      .orderBy("id")
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)
      .execute(),
    filtered.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
    base.where("readAt", "is", null).select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { ...toPage(items, total.n, input), unread: unread.n };
}

export const markNotificationsReadInput = z.union([
  z.object({ ids: z.array(z.string().min(1)).min(1, "Choose at least one notification").max(500) }),
  z.object({ all: z.literal(true) }),
]);

/** Marks notifications read; ids of other organizations or users are ignored. Returns how many changed. */
export async function markNotificationsRead(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof markNotificationsReadInput>,
  now: Date,
): Promise<{ updated: number }> {
  let q = db
    .updateTable("notification")
    .set({ readAt: now })
    .where("organizationId", "=", actor.organizationId)
    .where((eb) => eb.or([eb("userId", "is", null), eb("userId", "=", actor.userId)]))
    .where("readAt", "is", null);
  if ("ids" in input) q = q.where("id", "in", input.ids);
  const result = await q.executeTakeFirst();
  return { updated: Number(result.numUpdatedRows) };
}
