import type { Database } from "@ktizo/db";
import type { Clock, MailService, SmsService } from "@ktizo/services";
import { sql } from "kysely";
import { deliverCustomerNotification } from "../job/conversation.ts";
import { createPortalToken, portalPath } from "./tokens.ts";

/** A pending proof is reminded this long after it (or the last reminder) was emailed… */
export const PROOF_REMIND_AFTER_DAYS = 2;
/** …at most this many times. */
export const PROOF_REMIND_MAX = 3;

const DAY_MS = 86_400_000;

/**
 * Pending approvals are reminded: the current proof version of an open job, emailed to the customer and
 * neither decided nor overridden, gets a reminder with a fresh link two days after the last email, up to
 * three times. Each reminder is claimed by a conditional update in the same transaction that makes its
 * link, so concurrent or repeated runs send it once. Service mail: the shop is waiting on the customer's
 * answer to work they ordered.
 */
export async function sendProofReminders(
  db: Database,
  services: { mail: Pick<MailService, "send">; sms?: SmsService | null },
  clock: Clock,
) {
  const now = clock.now();
  const cutoff = new Date(now.getTime() - PROOF_REMIND_AFTER_DAYS * DAY_MS);
  const candidates = await db
    .selectFrom("proof")
    .innerJoin("job", "job.id", "proof.jobId")
    .innerJoin("customer", "customer.id", "job.customerId")
    .innerJoin("organization", "organization.id", "proof.organizationId")
    .select([
      "proof.id",
      "proof.organizationId",
      "proof.version",
      "proof.remindersSent",
      "proof.jobId",
      "customer.id as customerId",
      "job.title",
      "customer.name",
      "customer.email",
      "organization.name as shopName",
    ])
    .select((eb) =>
      eb
        .selectFrom("portalToken")
        .select((t) => t.fn.max("portalToken.createdAt").as("at"))
        .where("portalToken.documentType", "=", "proof")
        .whereRef("portalToken.documentId", "=", "proof.id")
        .as("lastEmailedAt"),
    )
    .where("proof.status", "=", "pending")
    .where("proof.overrideReason", "is", null)
    .where("proof.remindersSent", "<", PROOF_REMIND_MAX)
    .where("customer.email", "is not", null)
    .where("job.status", "not in", ["completed", "cancelled"])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("proof as newer")
            .select(sql`1`.as("one"))
            .whereRef("newer.jobId", "=", "proof.jobId")
            .whereRef("newer.version", ">", "proof.version"),
        ),
      ),
    )
    .execute();
  let sent = 0;
  for (const p of candidates) {
    const last = p.lastEmailedAt ? new Date(p.lastEmailedAt) : null;
    // Never emailed: the customer does not know about it yet, so there is nothing to remind.
    if (!last || last > cutoff || !p.email) continue;
    const token = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable("proof")
        .set({ remindersSent: p.remindersSent + 1 })
        .where("id", "=", p.id)
        .where("remindersSent", "=", p.remindersSent)
        .where("status", "=", "pending")
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return null;
      return createPortalToken(trx, { organizationId: p.organizationId, type: "proof", id: p.id }, now);
    });
    if (!token) continue;
    // The customer's preferred channel (req. 6 of issue 13); a proof reminder is a service notification.
    await deliverCustomerNotification(
      db,
      services,
      {
        organizationId: p.organizationId,
        customerId: p.customerId,
        jobId: p.jobId,
        email: {
          to: p.email,
          subject: `Waiting for your approval: proof ${p.version} of ${p.title} from ${p.shopName}`,
          text:
            `Hello ${p.name},\n\n${p.shopName} is waiting for your answer on proof version ${p.version} of ` +
            `"${p.title}": printing starts once you approve it.\n\nApprove it or ask for changes here ` +
            `(no account needed):\n${portalPath(token)}\n\n` +
            "Service notification: reminders about a proof waiting for you are part of the service; they stop " +
            "once you answer.\n",
          template: "billing-proof-reminder",
          category: "service",
          organizationId: p.organizationId,
        },
        smsText:
          `${p.shopName}: proof ${p.version} of "${p.title}" is waiting for your approval: ${portalPath(token)} ` +
          `Reply YES to approve proof ${p.version}.`,
      },
      now,
    );
    sent++;
  }
  return { sent };
}
