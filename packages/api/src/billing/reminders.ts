import type { Database } from "@ktizo/db";
import type { Clock, MailService, SmsService } from "@ktizo/services";
import { deliverCustomerNotification } from "../job/conversation.ts";
import type { Executor } from "../kernel/index.ts";
import { addDays, isoDay } from "./document.ts";
import { formatAmount } from "./money.ts";
import { amountDue } from "./payments.ts";
import { DEFAULT_BILLING_SETTINGS } from "./settings.ts";
import { createPortalToken, portalPath } from "./tokens.ts";

const DAY_MS = 86_400_000;

export interface ReminderCadence {
  remindDaysBefore: number;
  remindOnDue: boolean;
  remindOverdueEveryDays: number;
  remindOverdueMax: number;
}

/**
 * The reminder an unpaid invoice is due today, if any: before the due date (once, from `days before`),
 * on it, then one per overdue interval up to the shop's maximum. Only the latest step counts, so a job
 * that did not run for a few days sends one reminder, not a burst.
 */
export function reminderStep(dueDate: string, today: string, c: ReminderCadence): string | null {
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS);
  if (days < 0) return c.remindDaysBefore > 0 && -days <= c.remindDaysBefore ? "before" : null;
  if (days === 0) return c.remindOnDue ? "due" : null;
  if (c.remindOverdueEveryDays <= 0) return null;
  const k = Math.floor(days / c.remindOverdueEveryDays);
  return k >= 1 && k <= c.remindOverdueMax ? `overdue-${k}` : null;
}

/**
 * The reminder job's work: every issued, unpaid invoice with an address gets the reminder of today's
 * step once (the invoice_reminder row is written in the same transaction that decides to send). These
 * are service emails: the shop's customers cannot switch them off while the invoice is open, and each
 * says so. Paid, void and credited-in-full invoices are never reminded.
 */
export async function sendInvoiceReminders(
  db: Database,
  services: { mail: Pick<MailService, "send">; sms?: SmsService | null },
  clock: Clock,
) {
  const now = clock.now();
  const today = isoDay(now);
  const horizon = addDays(today, 60);
  const candidates = await db
    .selectFrom("invoice")
    .innerJoin("organization", "organization.id", "invoice.organizationId")
    .leftJoin("billingSettings", "billingSettings.organizationId", "invoice.organizationId")
    .select([
      "invoice.id",
      "invoice.organizationId",
      "invoice.number",
      "invoice.currency",
      "invoice.totalMinor",
      "invoice.dueDate",
      "invoice.recipientEmail",
      "invoice.buyer",
      "invoice.customerId",
      "invoice.jobId",
      "organization.name as shopName",
      "billingSettings.remindDaysBefore",
      "billingSettings.remindOnDue",
      "billingSettings.remindOverdueEveryDays",
      "billingSettings.remindOverdueMax",
    ])
    .where("invoice.kind", "=", "invoice")
    .where("invoice.status", "=", "issued")
    .where("invoice.recipientEmail", "is not", null)
    .where("invoice.dueDate", "<=", horizon)
    .execute();
  let sent = 0;
  for (const inv of candidates) {
    if (!inv.dueDate || !inv.recipientEmail || !inv.organizationId) continue;
    const cadence = {
      remindDaysBefore: inv.remindDaysBefore ?? DEFAULT_BILLING_SETTINGS.remindDaysBefore,
      remindOnDue: inv.remindOnDue ?? DEFAULT_BILLING_SETTINGS.remindOnDue,
      remindOverdueEveryDays: inv.remindOverdueEveryDays ?? DEFAULT_BILLING_SETTINGS.remindOverdueEveryDays,
      remindOverdueMax: inv.remindOverdueMax ?? DEFAULT_BILLING_SETTINGS.remindOverdueMax,
    };
    const step = reminderStep(inv.dueDate, today, cadence);
    if (!step) continue;
    const claimed = await db.transaction().execute(async (trx) => {
      const due = await amountDue(trx, inv);
      if (due <= 0) return null;
      const row = await trx
        .insertInto("invoiceReminder")
        .values({ invoiceId: inv.id, organizationId: inv.organizationId, step, sentAt: now })
        .onConflict((oc) => oc.columns(["invoiceId", "step"]).doNothing())
        .returning("step")
        .executeTakeFirst();
      if (!row || !inv.organizationId) return null;
      const token = await createPortalToken(
        trx,
        { organizationId: inv.organizationId, type: "invoice", id: inv.id },
        now,
      );
      return { due, token };
    });
    if (!claimed) continue;
    // The customer's preferred channel (issue 13, req. 6); a payment reminder is a service notification.
    const email = reminderEmail(inv, step, claimed.due, claimed.token);
    await deliverCustomerNotification(
      db,
      services,
      {
        organizationId: inv.organizationId,
        customerId: inv.customerId,
        jobId: inv.jobId,
        email,
        smsText: `${inv.shopName}: ${email.subject.replace(/ from .*$/, "")}, ${formatAmount(claimed.due, inv.currency)} open. Pay here: ${portalPath(claimed.token)}`,
      },
      now,
    );
    sent++;
  }
  return { sent };
}

function reminderEmail(
  inv: {
    number: string | null;
    currency: string;
    dueDate: string | null;
    recipientEmail: string | null;
    shopName: string;
    organizationId: string | null;
    buyer: { name: string } | null;
  },
  step: string,
  dueMinor: number,
  token: string,
) {
  const amount = formatAmount(dueMinor, inv.currency);
  const when =
    step === "before"
      ? `is due on ${inv.dueDate}`
      : step === "due"
        ? "is due today"
        : `was due on ${inv.dueDate}`;
  return {
    to: inv.recipientEmail ?? "",
    subject: `${step.startsWith("overdue") ? "Overdue: " : "Reminder: "}invoice ${inv.number} from ${inv.shopName}`,
    text:
      `Hello ${inv.buyer?.name ?? ""},\n\nInvoice ${inv.number} from ${inv.shopName} ${when}; ${amount} is still open.\n\n` +
      `View, download and pay it here:\n${portalPath(token)}\n\n` +
      "Service notification: reminders about an open invoice are part of the service and cannot be switched " +
      "off while the invoice is open. They stop as soon as it is paid.\n",
    template: "billing-invoice-reminder",
    category: "service" as const,
    organizationId: inv.organizationId,
  };
}

export async function remindersSent(db: Executor, invoiceId: string) {
  const rows = await db
    .selectFrom("invoiceReminder")
    .select("step")
    .where("invoiceId", "=", invoiceId)
    .orderBy("sentAt")
    .execute();
  return rows.map((r) => r.step);
}
