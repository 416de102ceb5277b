import { type Database, type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type Services } from "@ktizo/services";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvoice } from "../billing/invoice-drafts.ts";
import { createInvoiceInput } from "../billing/invoice-inputs.ts";
import { issueInvoice } from "../billing/invoice-issuing.ts";
import { recordManualPayment, recordPaymentInput } from "../billing/payments.ts";
import { getPublicWidget } from "../shop/public.ts";
import {
  addTestMember,
  callerFor,
  createTestOrganization,
  createTestUser,
  type TestActor,
  testServices,
} from "../testing/index.ts";
import { DELETION_GRACE_DAYS } from "./deletion.ts";
import { privacyPurgeJob } from "./jobs.ts";
import { CLOSED_SHOP_NAME, purgeDueShops } from "./shop-cancellation.ts";
import { columnsMentioning } from "./tables.ts";

const DAY = 24 * 60 * 60 * 1000;
const START = "2026-04-01T09:00:00Z";
let handle: DbHandle;
let db: Database;
const clock = fixedClock(START);
let services: Services;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  services = testServices(db, clock);
});
afterAll(() => handle.close());

const mentions = (needles: string[]) => columnsMentioning(db, needles);

interface SeededShop {
  owner: TestActor;
  member: TestActor;
  customer: TestActor;
  orgId: string;
  slug: string;
  name: string;
  contactEmail: string;
  jobFileKey: string;
  orderId: string;
  quoteId: string;
  invoiceId: string;
}

/** A listed shop with a widget, a team, a workspace (customer, job, file, notes) and a marketplace order. */
async function seedShop(name: string, slug: string): Promise<SeededShop> {
  const person = slug.split("-")[0];
  const owner = await createTestUser(db, { name: `Owner of ${person}` });
  const { organizationId: orgId, owner: ownerActor } = await createTestOrganization(db, owner, {
    name,
    slug,
  });
  const member = await addTestMember(
    db,
    orgId,
    await createTestUser(db, { name: `Staff of ${person}` }),
    "member",
  );
  const contactEmail = `hello@${slug}.example.test`;
  await db
    .insertInto("shopSettings")
    .values({
      organizationId: orgId,
      contactEmail,
      description: `${name} prints things`,
      listed: true,
      widget: JSON.stringify({ enabled: true, greeting: `Welcome to ${name}` }),
    })
    .execute();
  await db
    .insertInto("session")
    .values({
      id: newId("ses"),
      token: newId("tok"),
      userId: member.userId,
      expiresAt: new Date(clock.now().getTime() + 40 * DAY),
      activeOrganizationId: orgId,
    })
    .execute();
  const customerId = newId("cus");
  await db
    .insertInto("customer")
    .values({ id: customerId, organizationId: orgId, name: "Walk-in Wanda", email: "wanda@example.test" })
    .execute();
  const jobId = newId("job");
  await db
    .insertInto("job")
    .values({
      id: jobId,
      organizationId: orgId,
      number: 1001,
      title: `Sign for ${name}`,
      customerId,
      source: "manual",
      status: "printing",
      currency: "USD",
      totalMinor: 9_900,
      createdBy: owner.userId,
      statusChangedBy: owner.userId,
    })
    .execute();
  const file = await services.storage.put({
    bytes: new TextEncoder().encode(`solid ${slug}`),
    contentType: "model/stl",
    fileName: "sign.stl",
  });
  await db
    .insertInto("jobFile")
    .values({
      id: newId("jfl"),
      organizationId: orgId,
      jobId,
      kind: "model",
      storageKey: file.key,
      fileName: "sign.stl",
      contentType: "model/stl",
      sizeBytes: 10,
      uploadedBy: owner.userId,
    })
    .execute();
  await db
    .insertInto("notification")
    .values({ id: newId("ntf"), organizationId: orgId, kind: "job", title: `New job at ${name}` })
    .execute();
  // An issued invoice with a payment: financial records the purge must keep (P23).
  const shopActor = { organizationId: orgId, userId: owner.userId };
  const draft = await createInvoice(
    db,
    shopActor,
    createInvoiceInput.parse({ jobId, lines: [{ description: "Sign", quantity: 1, unitPriceMinor: 9_900 }] }),
    clock.now(),
  );
  const invoice = await issueInvoice(db, shopActor, { id: draft.id }, clock.now());
  await recordManualPayment(
    db,
    shopActor,
    recordPaymentInput.parse({ invoiceId: invoice.id, amountMinor: 4_000, method: "cash" }),
    clock.now(),
  );
  await db
    .insertInto("auditLog")
    .values({
      organizationId: orgId,
      actorUserId: owner.userId,
      action: "shop.profile.updated",
      subjectType: "organization",
      subjectId: orgId,
      data: JSON.stringify({ name, slug }),
    })
    .execute();

  // A marketplace customer: an upload, a quote in the cart, and a paid order with its thread.
  const customer = await createTestUser(db, { name: `Buyer from ${person}` });
  const uploadId = newId("upl");
  await sql`insert into model_upload (id, user_id, storage_key, file_name, content_type, size_bytes, analysis)
    values (${uploadId}, ${customer.userId}, ${newId("key")}, 'part.stl', 'model/stl', 10, '{}'::jsonb)`.execute(
    db,
  );
  const quoteId = newId("qte");
  await sql`insert into marketplace_quote (id, upload_id, organization_id, material_id, printer_id, quantity,
      currency, inputs, breakdown, total_minor, lead_days, expires_at)
    values (${quoteId}, ${uploadId}, ${orgId}, 'mat_1', 'prn_1', 1, 'USD', '{}'::jsonb, '{}'::jsonb, 2500, 5,
      ${new Date(clock.now().getTime() + 7 * DAY)})`.execute(db);
  await sql`insert into cart_item (id, user_id, organization_id, quote_id)
    values (${newId("crt")}, ${customer.userId}, ${orgId}, ${quoteId})`.execute(db);
  const orderId = newId("ord");
  await sql`insert into marketplace_order (id, user_id, organization_id, checkout_id, status, currency,
      subtotal_minor, shipping_minor, tax_minor, total_minor, shipping_option, shipping_address,
      customer_name, customer_email, job_id)
    values (${orderId}, ${customer.userId}, ${orgId}, ${newId("chk")}, 'shipped', 'USD', 5000, 500, 0, 5500,
      '{"name":"Standard"}'::jsonb, '{"line1":"1 Road","city":"Austin","country":"US"}'::jsonb,
      'Buyer', 'buyer@example.test', ${jobId})`.execute(db);
  await sql`insert into order_event (id, order_id, status, note)
    values (${newId("oev")}, ${orderId}, 'shipped', ${`Shipped by ${name}`})`.execute(db);
  await sql`insert into order_message (id, order_id, author_user_id, author_side, body)
    values (${newId("msg")}, ${orderId}, ${member.userId}, 'shop', ${`Thanks for ordering from ${name}!`})`.execute(
    db,
  );
  await sql`insert into customer_notification (id, user_id, order_id, title, body)
    values (${newId("cnt")}, ${customer.userId}, ${orderId}, ${`${name} shipped your order`}, 'On its way')`.execute(
    db,
  );
  await sql`insert into shop_review (id, organization_id, order_id, user_id, author_name, rating, body)
    values (${newId("rev")}, ${orgId}, ${orderId}, ${customer.userId}, 'Buyer', 5, 'Great')`.execute(db);
  return {
    owner: ownerActor,
    member,
    customer,
    orgId,
    slug,
    name,
    contactEmail,
    jobFileKey: file.key,
    orderId,
    quoteId,
    invoiceId: invoice.id,
  };
}

async function settingsOf(orgId: string) {
  return db
    .selectFrom("shopSettings")
    .select(["listed", sql<boolean>`(widget->>'enabled')::boolean`.as("widgetEnabled")])
    .where("organizationId", "=", orgId)
    .executeTakeFirstOrThrow();
}

describe("shop cancellation with a 30-day grace period", () => {
  it("owners only: stops orders at once, members see it, every member is told, undo restores the shop", async () => {
    const shop = await seedShop("Undo Prints", "undo-prints");
    const asOwner = callerFor(handle, shop.owner, { clock, services });
    const asMember = callerFor(handle, shop.member, { clock, services });

    await expect(asMember.privacy.organization.cancel({ confirmSlug: shop.slug })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(asOwner.privacy.organization.cancel({ confirmSlug: "wrong" })).rejects.toThrow(
      /URL name does not match/,
    );
    expect((await asMember.privacy.organization.cancellation()).scheduled).toBe(false);
    expect(await settingsOf(shop.orgId)).toEqual({ listed: true, widgetEnabled: true });
    // The widget's embed page (and its guest checkout) resolve the shop through this gate.
    expect((await getPublicWidget(db, shop.slug, clock.now())).organizationId).toBe(shop.orgId);

    const status = await asOwner.privacy.organization.cancel({ confirmSlug: shop.slug.toUpperCase() });
    expect(status.dueAt?.getTime()).toBe(clock.now().getTime() + DELETION_GRACE_DAYS * DAY);
    // No new orders: unlisted, widget off, quotes expired and out of carts.
    expect(await settingsOf(shop.orgId)).toEqual({ listed: false, widgetEnabled: false });
    await expect(getPublicWidget(db, shop.slug, clock.now())).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.selectFrom("cartItem").where("organizationId", "=", shop.orgId).execute()).toEqual([]);
    const quote = await db
      .selectFrom("marketplaceQuote")
      .select("expiresAt")
      .where("id", "=", shop.quoteId)
      .executeTakeFirstOrThrow();
    expect(quote.expiresAt.getTime()).toBeLessThanOrEqual(clock.now().getTime());
    // Members see it; each member got a service email.
    expect(await asMember.privacy.organization.cancellation()).toMatchObject({
      scheduled: true,
      dueAt: status.dueAt,
    });
    const mails = await db
      .selectFrom("outboxMessage")
      .select(["userId", "category"])
      .where("template", "=", "shop-deletion-scheduled")
      .where("organizationId", "=", shop.orgId)
      .orderBy("userId")
      .execute();
    expect(mails.map((m) => m.userId).sort()).toEqual([shop.owner.userId, shop.member.userId].sort());
    expect(new Set(mails.map((m) => m.category))).toEqual(new Set(["service"]));
    await expect(asOwner.privacy.organization.cancel({ confirmSlug: shop.slug })).rejects.toThrow(
      /already scheduled/,
    );
    // The admin console lists it as an open request.
    const admin = await createTestUser(db, { platformRole: "admin" });
    const open = await callerFor(handle, admin, { clock, services }).privacy.admin.openRequests();
    expect(open.find((r) => r.id === status.requestId)).toMatchObject({
      kind: "shop_deletion",
      shopName: "Undo Prints",
    });

    await expect(asMember.privacy.organization.undoCancel()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await asOwner.privacy.organization.undoCancel()).scheduled).toBe(false);
    expect(await settingsOf(shop.orgId)).toEqual({ listed: true, widgetEnabled: true });
    await expect(asOwner.privacy.organization.undoCancel()).rejects.toMatchObject({ code: "NOT_FOUND" });

    // After the grace period nothing happens to an undone cancellation.
    clock.advance(31 * DAY);
    expect((await purgeDueShops(db, { storage: services.storage, clock })).purged).toEqual([]);
    expect(await db.selectFrom("organization").where("id", "=", shop.orgId).execute()).toHaveLength(1);
    clock.set(START);
  });

  it("purges after 30 days: no table keeps the shop's id, name, URL name or contact email; orders keep amounts; twice is safe", async () => {
    const shop = await seedShop("Quillfeather Fabrication", "quillfeather-fab");
    const other = await seedShop("Bystander Works", "bystander-works");
    await callerFor(handle, shop.owner, { clock, services }).privacy.organization.cancel({
      confirmSlug: shop.slug,
    });

    clock.advance(29 * DAY);
    expect((await purgeDueShops(db, { storage: services.storage, clock })).purged).toEqual([]);
    expect(await db.selectFrom("job").where("organizationId", "=", shop.orgId).execute()).toHaveLength(1);

    clock.advance(1 * DAY + 1000);
    // The job itself, as pg-boss would run it, twice.
    await privacyPurgeJob.run({}, { db, services, clock });
    await privacyPurgeJob.run({}, { db, services, clock });
    expect(await purgeDueShops(db, { storage: services.storage, clock })).toEqual({
      purged: [],
      skipped: [],
    });

    // Only the issued invoice still names the shop: as its seller, which an invoice must show (P23).
    expect(await mentions([shop.orgId, shop.slug, shop.contactEmail])).toEqual([]);
    expect(await mentions([shop.name])).toEqual(["invoice.seller"]);
    const kept = await db
      .selectFrom("invoice")
      .select(["organizationId", "jobId", "number", "totalMinor", "status"])
      .where("id", "=", shop.invoiceId)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({
      organizationId: null,
      jobId: null,
      number: "INV-2026-0001",
      totalMinor: 9_900,
      status: "issued",
    });
    expect(
      await db
        .selectFrom("billingPayment")
        .select("amountMinor")
        .where("invoiceId", "=", shop.invoiceId)
        .execute(),
    ).toEqual([{ amountMinor: 4_000 }]);
    expect(await services.storage.get(shop.jobFileKey)).toBeNull();
    // Members and the owner keep their accounts, without the shop.
    for (const person of [shop.owner, shop.member]) {
      expect(await db.selectFrom("user").where("id", "=", person.userId).execute()).toHaveLength(1);
      expect(await db.selectFrom("member").where("userId", "=", person.userId).execute()).toEqual([]);
    }
    expect(
      await db
        .selectFrom("session")
        .select("activeOrganizationId")
        .where("userId", "=", shop.member.userId)
        .execute(),
    ).toEqual([{ activeOrganizationId: null }]);
    // P23: the customer's order keeps its amounts, under a record that names no shop.
    const order = await db
      .selectFrom("marketplaceOrder")
      .innerJoin("organization", "organization.id", "marketplaceOrder.organizationId")
      .select([
        "marketplaceOrder.totalMinor",
        "marketplaceOrder.userId",
        "marketplaceOrder.jobId",
        "organization.name",
      ])
      .where("marketplaceOrder.id", "=", shop.orderId)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({
      totalMinor: 5500,
      userId: shop.customer.userId,
      jobId: null,
      name: CLOSED_SHOP_NAME,
    });
    const messages = await sql<{
      body: string;
    }>`select body from order_message where order_id = ${shop.orderId}`.execute(db);
    expect(messages.rows).toEqual([{ body: `Thanks for ordering from ${CLOSED_SHOP_NAME}!` }]);
    // The other shop is untouched.
    expect(await mentions([other.orgId])).not.toEqual([]);
    expect(await settingsOf(other.orgId)).toEqual({ listed: true, widgetEnabled: true });
    expect(await services.storage.get(other.jobFileKey)).not.toBeNull();
    // The request stays, answered, without the shop.
    const requests = await db
      .selectFrom("privacyRequest")
      .select(["status", "organizationId", "data"])
      .where("kind", "=", "shop_deletion")
      .where("status", "=", "completed")
      .execute();
    expect(requests).toEqual([{ status: "completed", organizationId: null, data: null }]);
    clock.set(START);
  });

  it("re-checks state: an undo just before the job runs wins", async () => {
    const shop = await seedShop("Late Undo Shop", "late-undo-shop");
    const asOwner = callerFor(handle, shop.owner, { clock, services });
    await asOwner.privacy.organization.cancel({ confirmSlug: shop.slug });
    clock.advance(31 * DAY);
    await asOwner.privacy.organization.undoCancel();
    expect((await purgeDueShops(db, { storage: services.storage, clock })).purged).toEqual([]);
    expect(await db.selectFrom("organization").where("id", "=", shop.orgId).execute()).toHaveLength(1);
    clock.set(START);
  });
});
