import type { Database } from "@ktizo/db";
import type { Clock, Services } from "@ktizo/services";
import { z } from "zod";
import { sendProofReminders } from "./proof-reminders.ts";
import { sendInvoiceReminders } from "./reminders.ts";
import { purgeExpiredFinancialRecords } from "./retention.ts";

const noData = z.object({});

/** Background work of billing, in the shape `defineJob` (@ktizo/jobs) accepts. No personal data in the payload. */
export const billingReminderJob = {
  name: "billing-invoice-reminders",
  /** Invoice reminders (before, on and after the due date) and proof approval reminders. */
  schema: noData,
  /** Hourly: a reminder goes out within the hour its day starts (each step once, see invoice_reminder). */
  cron: "7 * * * *",
  retryLimit: 3,
  run: async (
    _data: z.infer<typeof noData>,
    deps: { db: Database; services: Pick<Services, "mail"> & Partial<Pick<Services, "sms">>; clock: Clock },
  ): Promise<void> => {
    await sendInvoiceReminders(deps.db, deps.services, deps.clock);
    await sendProofReminders(deps.db, deps.services, deps.clock);
  },
};

/**
 * Daily: financial records past their retention date are deleted (invoices, credit notes, payments).
 * Until then they survive account deletion and shop cancellation (see docs/privacy-promises.md).
 */
export const billingRetentionJob = {
  name: "billing-retention-purge",
  schema: noData,
  cron: "23 3 * * *",
  retryLimit: 3,
  run: async (_data: z.infer<typeof noData>, deps: { db: Database; clock: Clock }): Promise<void> => {
    await purgeExpiredFinancialRecords(deps.db, deps.clock);
  },
};

export const BILLING_JOBS = [billingReminderJob, billingRetentionJob];
