import type { Clock, MailService } from "@ktizo/services";
import { type Executor, inTransaction } from "../kernel/index.ts";
import {
  emailShopManagers,
  type PendingEmail,
  recordNotification,
  workspaceLink,
} from "../shop/notifications.ts";
import { shopFormat } from "../shop/shop-format.ts";
import { DELIVERED_OR_CLOSED } from "./job-fields.ts";

export interface OverdueJob {
  id: string;
  organizationId: string;
  number: number;
  title: string;
  dueAt: Date;
  status: string;
}

/** Jobs past their due date that have not been shipped, picked up, completed or cancelled (all shops). */
export async function findOverdueJobs(db: Executor, clock: Clock): Promise<OverdueJob[]> {
  const rows = await db
    .selectFrom("job")
    .select(["id", "organizationId", "number", "title", "dueAt", "status"])
    .where("dueAt", "<", clock.now())
    .where("status", "not in", [...DELIVERED_OR_CLOSED])
    .orderBy("dueAt")
    .execute();
  return rows.flatMap((r) => (r.dueAt ? [{ ...r, dueAt: r.dueAt }] : []));
}

/**
 * Notifies each shop once per overdue job (in the app and by email to owners and admins). A job whose
 * due date changes can become overdue again and is notified again. Returns how many were notified.
 */
export async function notifyOverdueJobs(
  db: Executor,
  mail: Pick<MailService, "send">,
  clock: Clock,
): Promise<{ notified: number }> {
  const now = clock.now();
  let notified = 0;
  for (const job of await findOverdueJobs(db, clock)) {
    const emails: PendingEmail[] = await inTransaction(db, async (trx) => {
      const claimed = await trx
        .updateTable("job")
        .set({ overdueNotifiedAt: now })
        .where("id", "=", job.id)
        .where("overdueNotifiedAt", "is", null)
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return [];
      const title = `Job #${job.number} is overdue`;
      const shop = await shopFormat(trx, job.organizationId);
      const body = `"${job.title}" was due ${shop.dateTime(job.dueAt)} and is still ${job.status.replace("_", " ")}.`;
      await recordNotification(trx, {
        organizationId: job.organizationId,
        kind: "job.overdue",
        title,
        body,
        link: workspaceLink.job(job.id),
      });
      return [
        {
          organizationId: job.organizationId,
          kind: "job.overdue" as const,
          subject: title,
          text: body,
          link: workspaceLink.job(job.id),
        },
      ];
    });
    if (emails.length > 0) notified++;
    await emailShopManagers(db, mail, emails);
  }
  return { notified };
}
