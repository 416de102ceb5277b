import type { DbHandle, NotifyChannel } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type PaymentEvent, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingReminderJob } from "../billing/jobs.ts";
import { recordSmsKeyword } from "../job/conversation.ts";
import { createJob, createJobInput } from "../job/create-job.ts";
import { sendMessage } from "../marketplace/messages.ts";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, createTestUser, type TestActor, testServices } from "../testing/index.ts";
import { insertTestOrder } from "../testing/marketplace-fixtures.ts";
import { notifying } from "./customer-notifier.ts";
import { changeJobStatusAndOrder, markShipped } from "./order-fulfilment.ts";
import { applyPaymentEvent } from "./payment-events.ts";

/**
 * Issue 13, req. 6: every sender of automatic customer notifications (marketplace order updates, a job
 * ready for pickup, a payment received, an invoice reminder) respects the customer's preference (email,
 * SMS, both) and SMS opt-out (STOP), and marks them as service notifications: one that cannot be texted
 * still goes by email.
 */

let handle: DbHandle;
let shop: BillingShop;
let services: Services;
let customerId: string;
let buyer: TestActor;
const clock = fixedClock("2026-03-10T08:00:00Z");
const SHOP_NUMBER = "+14155552671";
const CUSTOMER = "+447911123456";

beforeAll(async () => {
  handle = await createTestDb();
  services = testServices(handle.db, clock);
  shop = await billingShop(handle.db, "Notifying Shop");
  const job = await handle.db
    .selectFrom("job")
    .select("customerId")
    .where("id", "=", shop.jobId)
    .executeTakeFirstOrThrow();
  customerId = job.customerId;
  const api = callerFor(handle, shop.owner, { clock, services });
  await api.shop.sms.update({ phone: SHOP_NUMBER });
  await api.job.customers.update({ id: customerId, phone: "+44 7911 123456", smsConsent: true });
  await api.billing.settings.update({
    remindDaysBefore: 0,
    remindOnDue: true,
    remindOverdueEveryDays: 7,
    remindOverdueMax: 1,
  });
  // The marketplace buyer whose orders carry the shop customer's address.
  buyer = await createTestUser(handle.db, { name: "Bea Buyer" });
});
afterAll(() => handle.close());

type Preference = NotifyChannel | "sms-stopped";

/** Sets the customer's preference; "sms-stopped": prefers texts but sent STOP. */
async function prefer(p: Preference) {
  await handle.db
    .updateTable("customer")
    .set({ notifyChannel: p === "sms-stopped" ? "sms" : p })
    .where("id", "=", customerId)
    .execute();
  await recordSmsKeyword(
    handle.db,
    {
      organizationId: shop.organizationId,
      phoneE164: CUSTOMER,
      optedOut: p === "sms-stopped",
      keyword: p === "sms-stopped" ? "STOP" : "START",
      messageId: null,
    },
    clock.now(),
  );
}

/** The outbox rows (email and sms) of a template, and the texts on the customer's conversation. */
async function sent(template: string) {
  const rows = await handle.db
    .selectFrom("outboxMessage")
    .select(["channel", "category", "recipient"])
    .where("template", "=", template)
    .execute();
  const texts = await handle.db
    .selectFrom("conversationMessage")
    .select(["id", "jobId"])
    .where("customerId", "=", customerId)
    .where("channel", "=", "sms")
    .where("direction", "=", "out")
    .where("status", "=", "sent")
    .execute();
  return { rows, texts };
}

/** Runs a sender and answers what it sent: emails and texts (outbox), texts on the timeline. */
async function delta(template: string, act: () => Promise<unknown>) {
  const before = await sent(template);
  clock.advance(60_000);
  await act();
  const after = await sent(template);
  const fresh = after.rows.slice(before.rows.length);
  const known = new Set(before.texts.map((t) => t.id));
  return {
    email: fresh.filter((r) => r.channel === "email").length,
    sms: fresh.filter((r) => r.channel === "sms").length,
    categories: [...new Set(fresh.map((r) => r.category))],
    recipients: [...new Set(fresh.map((r) => r.recipient))].sort(),
    timeline: after.texts.filter((t) => !known.has(t.id)),
  };
}

/** A job of the customer with one priced item (and, with `order`, the marketplace order it fulfils). */
async function customerJob(title: string) {
  const job = await createJob(
    handle.db,
    { send: async () => ({ id: "fixture" }) },
    shop.actor,
    createJobInput.parse({
      title,
      customerId,
      items: [
        { description: "Part", quantity: 1, materialId: shop.plaId, unitPriceMinor: 1500, gramsPerUnit: 10 },
      ],
    }),
    clock.now(),
  );
  return job.id;
}

async function orderFor(jobId: string, status: "pending_payment" | "shipped") {
  const orderId = await insertTestOrder(handle.db, shop.organizationId, buyer, {
    status,
    customerEmail: shop.customerEmail,
    jobId,
    paidAt: status === "shipped" ? clock.now() : null,
  });
  await handle.db
    .updateTable("job")
    .set({ orderId, ...(status === "shipped" ? { status: "shipped" as const } : {}) })
    .where("id", "=", jobId)
    .execute();
  return orderId;
}

const EXPECTED: Record<Preference, { email: number; sms: number }> = {
  email: { email: 1, sms: 0 },
  sms: { email: 0, sms: 1 },
  both: { email: 1, sms: 1 },
  // Texts stopped: a service notification still reaches the customer, by email.
  "sms-stopped": { email: 1, sms: 0 },
  // "none" switches off marketing only: service notifications still go, by email.
  none: { email: 1, sms: 0 },
};

describe.each(Object.keys(EXPECTED) as Preference[])("a customer who prefers %s", (preference) => {
  const want = EXPECTED[preference];
  const expectDelivered = (got: Awaited<ReturnType<typeof delta>>, jobId: string) => {
    expect({ email: got.email, sms: got.sms }).toEqual(want);
    expect(got.categories).toEqual(["service"]);
    const to = [...(want.email ? [shop.customerEmail] : []), ...(want.sms ? [CUSTOMER] : [])].sort();
    expect(got.recipients).toEqual(to);
    // Every text is on the job's conversation timeline.
    expect(got.timeline.map((t) => t.jobId)).toEqual(want.sms ? [jobId] : []);
  };

  it("gets the marketplace order's tracking number accordingly", async () => {
    await prefer(preference);
    const jobId = await customerJob(`Order job (${preference})`);
    const orderId = await orderFor(jobId, "shipped");
    const got = await delta("marketplace-order-update", () =>
      markShipped(
        handle.db,
        services,
        shop.actor,
        { orderId, trackingNumber: `TRK-${preference}` },
        clock.now(),
      ),
    );
    expectDelivered(got, jobId);
    // The in-app notification of the buyer's account is kept.
    const inApp = await handle.db
      .selectFrom("customerNotification")
      .select("title")
      .where("orderId", "=", orderId)
      .execute();
    expect(inApp.map((n) => n.title)).toEqual(["Tracking number"]);
  });

  it("is told a job is ready for pickup accordingly", async () => {
    await prefer(preference);
    const jobId = await customerJob(`Pickup job (${preference})`);
    await handle.db.updateTable("job").set({ status: "post_processing" }).where("id", "=", jobId).execute();
    const got = await delta("job-ready", () =>
      changeJobStatusAndOrder(handle.db, services, shop.actor, { jobId, to: "ready" }, clock.now()),
    );
    expectDelivered(got, jobId);
    // A status the customer is not told about sends nothing.
    const none = await delta("job-ready", () =>
      changeJobStatusAndOrder(handle.db, services, shop.actor, { jobId, to: "picked_up" }, clock.now()),
    );
    expect({ email: none.email, sms: none.sms }).toEqual({ email: 0, sms: 0 });
  });

  it("is told a payment was received accordingly", async () => {
    await prefer(preference);
    const jobId = await customerJob(`Paid job (${preference})`);
    const orderId = await orderFor(jobId, "pending_payment");
    const event: PaymentEvent = {
      id: `evt_${preference}_${orderId}`,
      type: "checkout.session.completed",
      created: clock.now(),
      account: null,
      livemode: false,
      data: {
        mode: "payment",
        payment_status: "paid",
        metadata: { orderId },
        amount_total: 1500,
        currency: "usd",
        payment_intent: `pi_${orderId}`,
      },
    };
    const got = await delta("marketplace-order-update", () =>
      applyPaymentEvent(handle.db, services, event, clock.now()),
    );
    expectDelivered(got, jobId);
  });

  it("is told of the shop's message on the order accordingly", async () => {
    await prefer(preference);
    const jobId = await customerJob(`Message job (${preference})`);
    const orderId = await orderFor(jobId, "shipped");
    const got = await delta("marketplace-message", () =>
      sendMessage(
        handle.db,
        notifying(services),
        { side: "shop", organizationId: shop.organizationId, userId: shop.owner.userId },
        { orderId, body: `Your parts are packed (${preference}).` },
        clock.now(),
      ),
    );
    expectDelivered(got, jobId);
  });

  it("gets an invoice reminder accordingly", async () => {
    await prefer(preference);
    const jobId = await customerJob(`Invoiced job (${preference})`);
    const api = callerFor(handle, shop.owner, { clock, services });
    const inv = await api.billing.invoices.issue({
      id: (await api.billing.invoices.create({ jobId, terms: "net_15" })).id,
    });
    const dueDay = inv.dueDate ?? "";
    const got = await delta("billing-invoice-reminder", async () => {
      const today = clock.now();
      clock.set(`${dueDay}T08:00:00Z`);
      await billingReminderJob.run({}, { db: handle.db, services, clock });
      clock.set(today);
    });
    // Other invoices of earlier cases were reminded already on their own days; this one once.
    expectDelivered(got, jobId);
  });
});
