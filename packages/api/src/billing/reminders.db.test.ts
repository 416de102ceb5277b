import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, testServices } from "../testing/index.ts";
import { billingReminderJob } from "./jobs.ts";
import { reminderStep } from "./reminders.ts";

let handle: DbHandle;
let shop: BillingShop;
let services: Services;
const clock = fixedClock("2026-03-10T08:00:00Z");
beforeAll(async () => {
  handle = await createTestDb();
  services = testServices(handle.db, clock);
  shop = await billingShop(handle.db, "Reminder Shop");
});
afterAll(() => handle.close());

const cadence = { remindDaysBefore: 3, remindOnDue: true, remindOverdueEveryDays: 7, remindOverdueMax: 2 };

describe("reminder cadence", () => {
  it("names today's step only", () => {
    const due = "2026-03-25";
    expect(reminderStep(due, "2026-03-21", cadence)).toBeNull();
    expect(reminderStep(due, "2026-03-22", cadence)).toBe("before");
    expect(reminderStep(due, "2026-03-24", cadence)).toBe("before");
    expect(reminderStep(due, "2026-03-25", cadence)).toBe("due");
    expect(reminderStep(due, "2026-03-31", cadence)).toBeNull();
    expect(reminderStep(due, "2026-04-01", cadence)).toBe("overdue-1");
    expect(reminderStep(due, "2026-04-08", cadence)).toBe("overdue-2");
    expect(reminderStep(due, "2026-04-15", cadence)).toBeNull();
    expect(reminderStep(due, "2026-03-24", { ...cadence, remindDaysBefore: 0 })).toBeNull();
  });
});

describe("invoice reminder job (fixed clock)", () => {
  it("reminds before, on and after the due date, once each, as service mail, and stops when paid", async () => {
    const api = callerFor(handle, shop.owner, { clock, services });
    await api.billing.settings.update(cadence);
    const inv = await api.billing.invoices.issue({
      id: (await api.billing.invoices.create({ jobId: shop.jobId, terms: "net_15" })).id,
    });
    expect(inv.dueDate).toBe("2026-03-25");
    const deps = { db: handle.db, services, clock };
    const reminders = async () =>
      handle.db
        .selectFrom("outboxMessage")
        .select(["subject", "category", "bodyText", "recipient"])
        .where("template", "=", "billing-invoice-reminder")
        .orderBy("createdAt")
        .orderBy("id")
        .execute();
    const runOn = async (day: string) => {
      clock.set(`${day}T08:00:00Z`);
      await billingReminderJob.run({}, deps);
      await billingReminderJob.run({}, deps);
    };

    await runOn("2026-03-21");
    expect(await reminders()).toEqual([]);
    await runOn("2026-03-22");
    await runOn("2026-03-23");
    await runOn("2026-03-25");
    await runOn("2026-03-28");
    await runOn("2026-04-02");
    const sent = await reminders();
    expect(sent.map((m) => m.subject)).toEqual([
      `Reminder: invoice ${inv.number} from Reminder Shop`,
      `Reminder: invoice ${inv.number} from Reminder Shop`,
      `Overdue: invoice ${inv.number} from Reminder Shop`,
    ]);
    for (const m of sent) {
      expect(m.category).toBe("service");
      expect(m.recipient).toBe(shop.customerEmail);
      expect(m.bodyText).toContain("Service notification");
      expect(m.bodyText).toMatch(/\/portal\/[A-Za-z0-9_-]{43}/);
    }
    expect((await api.billing.invoices.get({ id: inv.id })).displayStatus).toBe("overdue");

    await api.billing.payments.record({
      invoiceId: inv.id,
      amountMinor: inv.totalMinor,
      method: "bank_transfer",
    });
    await runOn("2026-04-08");
    expect(await reminders()).toHaveLength(3);
    clock.set("2026-03-10T08:00:00Z");
  });
});
