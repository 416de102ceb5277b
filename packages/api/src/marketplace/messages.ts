import { newId } from "@ktizo/db";
import type { Services } from "@ktizo/services";
import { z } from "zod";
import type { CustomerNotifying, Executor } from "../kernel/index.ts";
import { badRequest, enforceRateLimit, notFound } from "../kernel/index.ts";
import { guestOrderPath } from "./common.ts";

export type Side =
  | { side: "customer"; userId: string }
  | { side: "shop"; organizationId: string; userId: string };

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const sendMessageInput = z.object({
  orderId: z.string().min(1).max(100),
  body: z.string().trim().min(1, "Write a message").max(5000, "At most 5000 characters"),
  attachment: z
    .object({
      fileName: z.string().trim().min(1).max(200),
      contentType: z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/, "Not a content type"),
      base64: z.string().max(Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 4, "Attachments are at most 10 MB"),
    })
    .optional(),
});

/** The order, if `who` is its customer or the shop that fulfils it (and it is paid, for the shop). */
async function orderFor(db: Executor, who: Side, orderId: string) {
  let q = db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("organization as g", "g.id", "o.organizationId")
    .select([
      "o.id",
      "o.number",
      "o.userId",
      "o.organizationId",
      "o.customerEmail",
      "o.guestAccessToken",
      "o.jobId",
      "g.name as shopName",
    ])
    .where("o.id", "=", orderId);
  q =
    who.side === "customer"
      ? q.where("o.userId", "=", who.userId)
      : q
          .where("o.organizationId", "=", who.organizationId)
          .where("o.status", "not in", ["pending_payment", "payment_failed"]);
  const o = await q.executeTakeFirst();
  if (!o) throw notFound("Order not found");
  return o;
}

export interface MessageView {
  id: string;
  side: "customer" | "shop";
  mine: boolean;
  body: string;
  attachment: { id: string; fileName: string } | null;
  createdAt: Date;
}

/** The thread of one order; reading it marks the other side's messages as read. */
export async function listMessages(
  db: Executor,
  who: Side,
  orderId: string,
  now: Date,
): Promise<MessageView[]> {
  await orderFor(db, who, orderId);
  const other = who.side === "customer" ? "shop" : "customer";
  await db
    .updateTable("orderMessage")
    .set({ readAt: now })
    .where("orderId", "=", orderId)
    .where("authorSide", "=", other)
    .where("readAt", "is", null)
    .execute();
  const rows = await db
    .selectFrom("orderMessage")
    .select(["id", "authorSide", "body", "attachmentName", "createdAt"])
    .where("orderId", "=", orderId)
    .orderBy("createdAt")
    .orderBy("seq")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    side: r.authorSide,
    mine: r.authorSide === who.side,
    body: r.body,
    attachment: r.attachmentName ? { id: r.id, fileName: r.attachmentName } : null,
    createdAt: r.createdAt,
  }));
}

/** Adds a message (and an optional attachment kept by storage) and emails the other side. */
export async function sendMessage(
  db: Executor,
  services: Pick<Services, "mail" | "storage"> & CustomerNotifying,
  who: Side,
  input: z.infer<typeof sendMessageInput>,
  now: Date,
): Promise<MessageView> {
  const o = await orderFor(db, who, input.orderId);
  // each message emails the other side: a per-person limit keeps a thread from becoming a mail cannon
  await enforceRateLimit(db, "orderMessage", [who.userId], now);
  let attachment: { key: string; name: string; type: string } | null = null;
  if (input.attachment) {
    const bytes = Buffer.from(input.attachment.base64, "base64");
    if (bytes.byteLength === 0) throw badRequest("The attachment is empty", { attachment: "Empty file" });
    if (bytes.byteLength > MAX_ATTACHMENT_BYTES)
      throw badRequest("Attachments are at most 10 MB", { attachment: "Too large" });
    const stored = await services.storage.put({
      bytes: new Uint8Array(bytes),
      contentType: input.attachment.contentType,
      fileName: input.attachment.fileName,
    });
    attachment = { key: stored.key, name: input.attachment.fileName, type: input.attachment.contentType };
  }
  const id = newId("msg");
  await db
    .insertInto("orderMessage")
    .values({
      id,
      orderId: o.id,
      authorUserId: who.userId,
      authorSide: who.side,
      body: input.body,
      attachmentKey: attachment?.key ?? null,
      attachmentName: attachment?.name ?? null,
      attachmentType: attachment?.type ?? null,
      createdAt: now,
    })
    .execute();
  const text = `${input.body}\n\nReply on the order page.`;
  if (who.side === "shop") {
    // A guest order (placed through a shop's widget) has no account to notify in the app: email only.
    if (o.userId) {
      await db
        .insertInto("customerNotification")
        .values({
          id: newId("cnt"),
          userId: o.userId,
          orderId: o.id,
          title: `New message from ${o.shopName}`,
          body: input.body.slice(0, 200),
        })
        .execute();
    }
    // A guest has no thread to reply on: the email carries the order's token link instead.
    const link =
      !o.userId && o.guestAccessToken ? guestOrderPath(o.id, o.guestAccessToken) : `/orders/${o.id}`;
    // By the customer's preference (email, text or both), like every notification to a shop's customer.
    await services.customerNotifier(
      db,
      {
        organizationId: o.organizationId,
        jobId: o.jobId,
        email: {
          to: o.customerEmail,
          subject: `Order #${o.number}: new message from ${o.shopName}`,
          text: o.userId
            ? text
            : `${input.body}\n\nFollow your order: ${link}\nReply to ${o.shopName} through its website.`,
          template: "marketplace-message",
          category: "service",
          userId: o.userId,
        },
        smsText: `${o.shopName}: ${input.body.slice(0, 300)} (order #${o.number}: ${link})`,
      },
      now,
    );
  } else {
    const managers = await db
      .selectFrom("member as m")
      .innerJoin("user as u", "u.id", "m.userId")
      .select(["u.email", "u.id"])
      .where("m.organizationId", "=", o.organizationId)
      .where("m.role", "in", ["owner", "admin"])
      .execute();
    for (const m of managers) {
      await services.mail.send({
        to: m.email,
        subject: `Order #${o.number}: new message from the customer`,
        text,
        template: "marketplace-message",
        category: "service",
        userId: m.id,
        organizationId: o.organizationId,
      });
    }
  }
  return {
    id,
    side: who.side,
    mine: true,
    body: input.body,
    attachment: attachment ? { id, fileName: attachment.name } : null,
    createdAt: now,
  };
}

/** An attachment's bytes location, for the download route (Content-Disposition: attachment). */
export async function getMessageAttachment(db: Executor, who: Side, messageId: string) {
  const m = await db
    .selectFrom("orderMessage")
    .select(["orderId", "attachmentKey", "attachmentName", "attachmentType"])
    .where("id", "=", messageId)
    .executeTakeFirst();
  if (!m?.attachmentKey) throw notFound("File not found");
  await orderFor(db, who, m.orderId);
  return {
    storageKey: m.attachmentKey,
    fileName: m.attachmentName ?? "file",
    contentType: m.attachmentType ?? "application/octet-stream",
  };
}
