import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop, lastPortalToken } from "../testing/billing-fixtures.ts";
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

describe("proof approval reminders (fixed clock)", () => {
  it("reminds the customer of a pending proof every two days, three times at most, and stops once decided", async () => {
    clock.set("2026-05-01T08:00:00Z");
    const api = callerFor(handle, shop.owner, { clock, services });
    const file = await handle.db
      .insertInto("jobFile")
      .values({
        id: "jfl_proof_reminder",
        organizationId: shop.organizationId,
        jobId: shop.jobId,
        kind: "proof",
        fileName: "proof.png",
        contentType: "image/png",
        sizeBytes: 1,
        storageKey: "proofs/reminder.png",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const deps = { db: handle.db, services, clock };
    const reminders = () =>
      handle.db
        .selectFrom("outboxMessage")
        .select(["subject", "category", "bodyText", "recipient"])
        .where("template", "=", "billing-proof-reminder")
        .execute();
    const runAt = async (iso: string) => {
      clock.set(iso);
      await billingReminderJob.run({}, deps);
      await billingReminderJob.run({}, deps);
    };
    // Not emailed yet: nothing to remind.
    const first = await api.billing.proofs.add({ jobId: shop.jobId, fileId: file.id });
    await runAt("2026-05-05T08:00:00Z");
    expect(await reminders()).toEqual([]);

    clock.set("2026-05-05T09:00:00Z");
    await api.billing.proofs.send({ id: first.id });
    await runAt("2026-05-06T09:00:00Z");
    expect(await reminders()).toEqual([]);
    await runAt("2026-05-07T09:00:00Z");
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      category: "service",
      recipient: shop.customerEmail,
      subject: "Waiting for your approval: proof 1 of Reminder Shop brackets from Reminder Shop",
    });
    expect(sent[0]?.bodyText).toMatch(/\/portal\/[A-Za-z0-9_-]{43}/);
    expect(sent[0]?.bodyText).toContain("Service notification");

    // A new version replaces the old one: only the current version is reminded, from when it was emailed.
    const second = await api.billing.proofs.add({ jobId: shop.jobId, fileId: file.id });
    await api.billing.proofs.send({ id: second.id });
    for (const day of ["09", "11", "13", "15", "17", "19"]) await runAt(`2026-05-${day}T10:00:00Z`);
    const all = await reminders();
    expect(all.map((m) => m.subject)).toEqual([
      "Waiting for your approval: proof 1 of Reminder Shop brackets from Reminder Shop",
      ...Array(3).fill("Waiting for your approval: proof 2 of Reminder Shop brackets from Reminder Shop"),
    ]);

    // A decided proof is never reminded.
    const third = await api.billing.proofs.add({ jobId: shop.jobId, fileId: file.id });
    await api.billing.proofs.send({ id: third.id });
    const token = await lastPortalToken(handle.db, "billing-proof");
    await callerFor(handle, null, { clock, services }).billing.portal.decideProof({
      token,
      decision: "approved",
      name: "Bea Buyer",
      comment: "",
    });
    expect(
      (await api.billing.proofs.list({ jobId: shop.jobId })).find((p) => p.id === third.id)?.status,
    ).toBe("approved");
    await runAt("2026-05-30T10:00:00Z");
    expect(await reminders()).toHaveLength(4);
  });
});
