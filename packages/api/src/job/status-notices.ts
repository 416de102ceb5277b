import type { JobStatus } from "@ktizo/db";
import type { MailService, SmsService } from "@ktizo/services";
import type { Executor } from "../kernel/index.ts";
import { shopPickupAddress } from "../shop/profile.ts";
import { deliverCustomerNotification } from "./conversation.ts";

/** The job statuses the shop's customer is told about: the work is ready for pickup, or on its way. */
const TOLD: Partial<Record<JobStatus, { template: string; title: string }>> = {
  ready: { template: "job-ready", title: "is ready for pickup" },
  shipped: { template: "job-shipped", title: "has shipped" },
};

/**
 * Tells the job's customer that the job is ready for pickup or shipped (issue 13, req. 6): service
 * notifications, through the one delivery path (`deliverCustomerNotification`: email and/or text by the
 * customer's preference and SMS consent, the text on the job's conversation). Other statuses, a job of
 * another shop and a customer with neither address nor consented number tell nobody. A marketplace order's
 * job is not told here: its order update tells the customer.
 */
export async function notifyJobStatus(
  db: Executor,
  services: { mail: Pick<MailService, "send">; sms?: SmsService | null },
  organizationId: string,
  jobId: string,
  to: JobStatus,
  now: Date,
): Promise<{ email: boolean; sms: boolean } | null> {
  const told = TOLD[to];
  if (!told) return null;
  const job = await db
    .selectFrom("job as j")
    .innerJoin("customer as c", "c.id", "j.customerId")
    .select(["j.id", "j.number", "j.title", "j.orderId", "j.customerId", "c.name", "c.email"])
    .where("j.id", "=", jobId)
    .where("j.organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!job || job.orderId) return null;
  const shop = await shopPickupAddress(db, organizationId);
  const where = to === "ready" && shop.pickupAddress ? ` at ${shop.pickupAddress}` : "";
  const subject = `Job #${job.number} ${told.title}`;
  return deliverCustomerNotification(
    db,
    services,
    {
      organizationId,
      customerId: job.customerId,
      jobId: job.id,
      email: {
        to: job.email ?? "",
        subject: `${subject} (${shop.name})`,
        text: `Hello ${job.name},\n\nyour job #${job.number} (${job.title}) ${told.title}${where}.\n\n${shop.name}`,
        template: told.template,
        category: "service",
        organizationId,
      },
      smsText: `${shop.name}: job #${job.number} ${told.title}${where}.`,
    },
    now,
  );
}
