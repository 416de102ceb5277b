import type { Executor } from "../kernel/index.ts";

/** The customer's in-app notifications about their orders (newest first) and the unread count. */
export async function listNotifications(db: Executor, userId: string) {
  const items = await db
    .selectFrom("customerNotification")
    .select(["id", "orderId", "title", "body", "readAt", "createdAt"])
    .where("userId", "=", userId)
    .orderBy("createdAt", "desc")
    .orderBy("id")
    .limit(50)
    .execute();
  return { items, unread: items.filter((n) => n.readAt === null).length };
}

export async function markNotificationsRead(db: Executor, userId: string, now: Date) {
  const r = await db
    .updateTable("customerNotification")
    .set({ readAt: now })
    .where("userId", "=", userId)
    .where("readAt", "is", null)
    .executeTakeFirst();
  return { marked: Number(r.numUpdatedRows) };
}
