import { type Database, type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, recordAiRequest, type Services } from "@ktizo/services";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvoice } from "../billing/invoice-drafts.ts";
import { createInvoiceInput } from "../billing/invoice-inputs.ts";
import { issueInvoice } from "../billing/invoice-issuing.ts";
import { recordConversationMessage } from "../job/conversation-store.ts";
import {
  addTestMember,
  callerFor,
  createTestOrganization,
  createTestUser,
  type TestActor,
  testServices,
} from "../testing/index.ts";
import {
  cancelDeletion,
  DELETION_GRACE_DAYS,
  deletionStatus,
  purgeDueAccounts,
  requestDeletion,
} from "./deletion.ts";
import { privacyPurgeJob } from "./jobs.ts";
import { columnsMentioning } from "./tables.ts";

const DAY = 24 * 60 * 60 * 1000;
let handle: DbHandle;
let db: Database;
const clock = fixedClock("2026-03-01T10:00:00Z");
let services: Services;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const local = testServices(db, clock);
  // Google as the local stand-in, with every revocation recorded.
  services = {
    ...local,
    google: {
      ...local.google,
      disconnect: async (ref) => {
        revoked.push(ref);
        return local.google.disconnect(ref);
      },
    },
  };
});
afterAll(() => handle.close());
const revoked: Array<{ organizationId: string; userId: string }> = [];

const mentions = (needles: string[]) => columnsMentioning(db, needles);
const gmailOf = (email: string) => `${email.split("@")[0]?.toLowerCase()}.mail@gmail.test`;

/** A user with data in as many tables as exist: account, sessions, a shop of their own and someone else's. */
let phones = 0;

async function seedPerson(
  name: string,
  email: string,
): Promise<{ actor: TestActor; fileKey: string; orgId: string; jobId: string; phoneE164: string }> {
  const phoneE164 = `+4479111234${10 + phones++}`;
  const person = await createTestUser(db, { name, email });
  const userId = person.userId;
  await db
    .insertInto("account")
    .values({
      id: newId("acc"),
      accountId: userId,
      providerId: "credential",
      userId,
      password: "$2b$12$hash",
    })
    .execute();
  await db
    .insertInto("session")
    .values({
      id: newId("ses"),
      token: newId("tok"),
      userId,
      expiresAt: new Date(clock.now().getTime() + DAY),
      ipAddress: "203.0.113.9",
      userAgent: "Firefox",
    })
    .execute();
  // Their own shop...
  await createTestOrganization(db, person, { name: "Own Prints" });
  // ...and a shop they work at, run by someone else, where they are also a customer.
  const boss = await createTestUser(db, { name: "Other Owner" });
  const { organizationId } = await createTestOrganization(db, boss, { name: "Other Shop" });
  await addTestMember(db, organizationId, person, "member");
  const customerId = newId("cus");
  await db
    .insertInto("customer")
    .values({
      id: customerId,
      organizationId,
      userId,
      name,
      email,
      phone: "+44 7911 123456",
      phoneE164,
      smsConsentAt: clock.now(),
      smsConsentSource: "customer",
      addresses: JSON.stringify([
        { line1: "1 High Street", city: "Leeds", postalCode: "LS1 1AA", country: "GB" },
      ]),
    })
    .execute();
  // Their conversation with the shop (issue 13): a text from their phone, an email to them, a STOP record,
  // the text in the outbox, and a message and a template they wrote as the shop's staff.
  const message = (over: Partial<Parameters<typeof recordConversationMessage>[1]>) =>
    recordConversationMessage(
      db,
      {
        organizationId,
        customerId,
        jobId: null,
        channel: "sms",
        direction: "in",
        authorUserId: null,
        authorLabel: name,
        counterpart: phoneE164,
        body: `This is ${name}, see you Friday`,
        status: "received",
        provider: "outbox",
        ...over,
      },
      clock.now(),
    );
  const inbound = await message({});
  await message({ channel: "email", direction: "out", counterpart: email, body: `Hello ${name}` });
  await db
    .insertInto("smsOptOut")
    .values({
      organizationId,
      phoneE164,
      optedOut: true,
      keyword: "STOP",
      messageId: inbound.id,
      changedAt: clock.now(),
    })
    .execute();
  await db
    .insertInto("outboxMessage")
    .values({
      channel: "sms",
      category: "service",
      template: "conversation-reply",
      recipient: phoneE164,
      bodyText: "Your job is ready",
      provider: "outbox",
      status: "stored",
      organizationId,
    })
    .execute();
  const colleague = newId("cus");
  await db
    .insertInto("customer")
    .values({ id: colleague, organizationId, name: "Someone Else", addresses: JSON.stringify([]) })
    .execute();
  await message({
    customerId: colleague,
    direction: "out",
    authorUserId: userId,
    authorLabel: name,
    counterpart: "+447700900123",
    body: "Your parts are ready",
  });
  await db
    .insertInto("messageTemplate")
    .values({
      id: newId("tpl"),
      organizationId,
      name: "Pickup ready",
      body: "Hi {customer_name}",
      createdBy: userId,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    })
    .execute();
  const jobId = newId("job");
  await db
    .insertInto("job")
    .values({
      id: jobId,
      organizationId,
      number: 1001,
      title: `Brackets for ${name}`,
      customerId,
      source: "manual",
      status: "quote",
      currency: "GBP",
      totalMinor: 12_345,
      createdBy: userId,
      statusChangedBy: userId,
    })
    .execute();
  await db
    .insertInto("jobNote")
    .values({ id: newId("jnt"), organizationId, jobId, authorUserId: userId, body: "Call before delivery" })
    .execute();
  // The shop invoiced them: an issued invoice is a financial record the purge keeps (P23).
  const shopActor = { organizationId, userId: boss.userId };
  const draft = await createInvoice(
    db,
    shopActor,
    createInvoiceInput.parse({
      jobId,
      lines: [{ description: "Brackets", quantity: 1, unitPriceMinor: 12_345 }],
    }),
    clock.now(),
  );
  await issueInvoice(db, shopActor, { id: draft.id }, clock.now());
  await db
    .insertInto("jobStatusChange")
    .values({ id: newId("jsc"), organizationId, jobId, toStatus: "quote", actorUserId: userId })
    .execute();
  const stored = await services.storage.put({
    bytes: new TextEncoder().encode("solid bracket"),
    contentType: "model/stl",
    fileName: "bracket.stl",
  });
  await db
    .insertInto("jobFile")
    .values({
      id: newId("jfl"),
      organizationId,
      jobId,
      kind: "model",
      storageKey: stored.key,
      fileName: "bracket.stl",
      contentType: "model/stl",
      sizeBytes: 13,
      uploadedBy: userId,
    })
    .execute();
  await db
    .insertInto("notification")
    .values({
      id: newId("ntf"),
      organizationId,
      userId,
      kind: "job",
      title: "Job assigned",
      body: `For ${email}`,
    })
    .execute();
  // The AI audit trail names who asked (issue 15, req. 6).
  await recordAiRequest(db, {
    organizationId,
    userId,
    at: clock.now(),
    feature: "plan_steering",
    dataKinds: ["instruction_sentence", "job_titles"],
    provider: "rules",
    model: "local-rules",
    inputTokens: 12,
    outputTokens: 30,
    tokensEstimated: true,
    outcome: "ok",
    errorKind: null,
  });
  await db
    .insertInto("aiSuggestionOutcome")
    .values({
      id: newId("aso"),
      organizationId,
      userId,
      feature: "reply_draft",
      subjectType: "marketplace_order",
      subjectId: jobId,
      outcome: "accepted",
      createdAt: clock.now(),
    })
    .execute();
  await db
    .insertInto("invitation")
    .values({
      id: newId("inv"),
      organizationId,
      email,
      role: "member",
      status: "accepted",
      expiresAt: new Date(clock.now().getTime() + DAY),
      inviterId: boss.userId,
    })
    .execute();
  await db
    .insertInto("auditLog")
    .values({
      organizationId,
      actorUserId: boss.userId,
      action: "member.added",
      subjectType: "user",
      subjectId: userId,
      data: JSON.stringify({ email, name }),
    })
    .execute();
  await db.insertInto("privacySettings").values({ userId, marketingOff: false }).execute();
  // Marketplace: an upload, a saved address, a paid order with a message and a review.
  const upload = await services.storage.put({
    bytes: new TextEncoder().encode("solid part"),
    contentType: "model/stl",
    fileName: "part.stl",
  });
  await sql`insert into model_upload (id, user_id, storage_key, file_name, content_type, size_bytes, analysis)
    values (${newId("upl")}, ${userId}, ${upload.key}, 'part.stl', 'model/stl', 10, '{}'::jsonb)`.execute(db);
  await sql`insert into shipping_address (id, user_id, name, line1, city, postal_code, country)
    values (${newId("adr")}, ${userId}, ${name}, '1 High Street', 'Leeds', 'LS1 1AA', 'GB')`.execute(db);
  const orderId = newId("ord");
  await sql`insert into marketplace_order (id, user_id, organization_id, checkout_id, status, currency,
      subtotal_minor, shipping_minor, tax_minor, total_minor, shipping_option, shipping_address,
      customer_name, customer_email)
    values (${orderId}, ${userId}, ${organizationId}, 'chk_1', 'paid', 'GBP', 5000, 500, 1100, 6600,
      '{"id":"std"}'::jsonb,
      ${JSON.stringify({ name, line1: "1 High Street", city: "Leeds", country: "GB" })}::jsonb,
      ${name}, ${email})`.execute(db);
  const attachment = await services.storage.put({
    bytes: new TextEncoder().encode("photo"),
    contentType: "image/png",
    fileName: "photo.png",
  });
  await sql`insert into order_message (id, order_id, author_user_id, author_side, body, attachment_key, attachment_name)
    values (${newId("msg")}, ${orderId}, ${userId}, 'customer', ${`Thanks, ${name}`}, ${attachment.key}, 'photo.png')`.execute(
    db,
  );
  await sql`insert into shop_review (id, organization_id, order_id, user_id, author_name, rating, body)
    values (${newId("rev")}, ${organizationId}, ${orderId}, ${userId}, ${name}, 5, 'Great')`.execute(db);
  // An export they asked for earlier, with its file.
  const exportFile = await services.storage.put({
    bytes: new TextEncoder().encode(JSON.stringify({ email })),
    contentType: "application/json",
    fileName: "export.json",
  });
  await db
    .insertInto("privacyRequest")
    .values({
      id: newId("prq"),
      kind: "export",
      status: "ready",
      userId,
      requestedAt: clock.now(),
      fileKey: exportFile.key,
      expiresAt: new Date(clock.now().getTime() + 7 * DAY),
    })
    .execute();
  // Issue 13: their Google account at the shop they work at (an encrypted token, a linked thread and its
  // cached mail), and the Drive folder of their own job, named after them as its customer.
  const gmail = gmailOf(email);
  const accountId = newId("gac");
  await db
    .insertInto("googleAccount")
    .values({
      id: accountId,
      organizationId,
      userId,
      email: gmail,
      scopes: "https://www.googleapis.com/auth/gmail.readonly",
      refreshTokenCiphertext: "v1.sealed.refresh-token",
      historyId: "100",
    })
    .execute();
  await db
    .insertInto("gmailThreadLink")
    .values({
      id: newId("gtl"),
      organizationId,
      accountId,
      threadId: `thr-${userId}`,
      jobId,
      customerId: null,
      subject: `Brackets for ${name}`,
      linkedByUserId: userId,
    })
    .execute();
  await db
    .insertInto("gmailMessage")
    .values({
      id: newId("gml"),
      organizationId,
      accountId,
      messageId: `msg-${userId}`,
      threadId: `thr-${userId}`,
      fromHeader: `${name} <${gmail}>`,
      toHeader: "buyer@acme.test",
      subject: `Brackets for ${name}`,
      body: "On their way",
      sentAt: clock.now(),
    })
    .execute();
  await db
    .insertInto("driveFolder")
    .values({
      id: newId("drv"),
      organizationId,
      jobId,
      accountId,
      folderId: `folder-${userId}`,
      name: `JOB-1001 · ${name}`,
      webLink: null,
    })
    .execute();
  return { actor: person, fileKey: exportFile.key, orgId: organizationId, jobId, phoneE164 };
}

describe("account deletion with a 30-day grace period", () => {
  it("schedules, ends every session, tells the user, and can be undone", async () => {
    const { actor } = await seedPerson("Undo Person", "undo.person@example.test");
    const caller = callerFor(handle, actor, { clock, services });
    await expect(caller.privacy.deletion.request({ confirmation: "nope" })).rejects.toThrow(
      /delete my account/,
    );
    const status = await caller.privacy.deletion.request({ confirmation: "delete my account" });
    expect(status.scheduled).toBe(true);
    expect(status.dueAt?.getTime()).toBe(clock.now().getTime() + DELETION_GRACE_DAYS * DAY);
    expect(await db.selectFrom("session").where("userId", "=", actor.userId).execute()).toEqual([]);
    const mail = await db
      .selectFrom("outboxMessage")
      .select(["category", "template"])
      .where("userId", "=", actor.userId)
      .where("template", "=", "account-deletion-scheduled")
      .execute();
    expect(mail).toEqual([{ category: "service", template: "account-deletion-scheduled" }]);
    await expect(caller.privacy.deletion.request({ confirmation: "delete my account" })).rejects.toThrow(
      /already scheduled/,
    );

    const undone = await caller.privacy.deletion.cancel();
    expect(undone.scheduled).toBe(false);
    // After the grace period nothing happens to an undone deletion.
    clock.advance(31 * DAY);
    const result = await purgeDueAccounts(db, { storage: services.storage, clock });
    expect(result.purged).toEqual([]);
    expect(await db.selectFrom("user").select("id").where("id", "=", actor.userId).execute()).toHaveLength(1);
    clock.set("2026-03-01T10:00:00Z");
  });

  it("purges after 30 days: no table keeps the id, email or name; amounts and others' data stay; twice is safe", async () => {
    const name = "Zebulon Quaxworth";
    const email = "Zebulon.Quaxworth@example.test";
    const { actor, fileKey, orgId, jobId, phoneE164 } = await seedPerson(name, email);
    const bystander = await seedPerson("Ottoline Fernsby", "ottoline@example.test");

    await requestDeletion(db, services.mail, clock, actor.userId);
    // Within the grace period: kept, export still possible, status visible.
    clock.advance(29 * DAY);
    expect((await purgeDueAccounts(db, { storage: services.storage, clock })).purged).toEqual([]);
    expect((await deletionStatus(db, actor.userId)).scheduled).toBe(true);
    expect(await mentions([actor.userId])).not.toEqual([]);

    clock.advance(1 * DAY + 1000);
    // The job itself, as pg-boss would run it, twice.
    await privacyPurgeJob.run({}, { db, services, clock });
    await privacyPurgeJob.run({}, { db, services, clock });
    const second = await purgeDueAccounts(db, { storage: services.storage, clock });
    expect(second).toEqual({ purged: [], skipped: [] });

    // Only the invoice the shop issued still names them, as its buyer: what an invoice must show (P23).
    expect(await mentions([actor.userId, email, gmailOf(email), phoneE164])).toEqual([]);
    expect(await mentions([name])).toEqual(["invoice.buyer"]);
    // Their Google grant was revoked at Google before the rows went (issue 13).
    expect(revoked).toContainEqual({ organizationId: orgId, userId: actor.userId });
    // Messages they wrote for the shop stay the shop's, under no name.
    expect(
      await db
        .selectFrom("conversationMessage")
        .select("authorLabel")
        .where("organizationId", "=", orgId)
        .where("body", "=", "Your parts are ready")
        .execute(),
    ).toEqual([{ authorLabel: "Deleted user" }]);
    expect(await services.storage.get(fileKey)).toBeNull();
    // Marketplace orders keep their amounts (P23), without the person; their files are gone.
    const orders = await sql<{
      totalMinor: number;
      userId: string | null;
      customerName: string;
      shippingAddress: unknown;
    }>`
      select total_minor, user_id, customer_name, shipping_address from marketplace_order
      where organization_id = ${orgId} and checkout_id = 'chk_1' and customer_name = 'Deleted customer'`.execute(
      db,
    );
    // No placeholder account: the order belongs to no one, like a guest order.
    expect(
      await db.selectFrom("user").select("id").where("email", "like", "%ktizo.invalid").execute(),
    ).toEqual([]);
    expect(orders.rows).toEqual([
      {
        totalMinor: 6600,
        userId: null,
        customerName: "Deleted customer",
        shippingAddress: { country: "GB" },
      },
    ]);

    // P23: the job (a financial record of the shop) keeps its amount, not the person.
    const job = await db.selectFrom("job").selectAll().where("id", "=", jobId).executeTakeFirstOrThrow();
    expect(job.totalMinor).toBe(12_345);
    expect(job.createdBy).toBeNull();
    const customer = await db
      .selectFrom("customer")
      .selectAll()
      .where("id", "=", job.customerId)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ name: "Deleted customer", email: null, phone: null, userId: null });
    // The shop they worked at still exists; the other person is untouched.
    expect(await db.selectFrom("organization").select("id").where("id", "=", orgId).execute()).toHaveLength(
      1,
    );
    expect(await mentions([bystander.actor.userId])).not.toEqual([]);
    expect(
      await db.selectFrom("user").select("id").where("id", "=", bystander.actor.userId).execute(),
    ).toHaveLength(1);

    // The shop keeps its AI audit trail and suggestion outcomes, without who asked.
    expect(
      await db
        .selectFrom("aiRequestLog")
        .select(["userId", "feature", "inputTokens"])
        .where("organizationId", "=", orgId)
        .execute(),
    ).toEqual([{ userId: null, feature: "plan_steering", inputTokens: 12 }]);
    expect(
      await db
        .selectFrom("aiSuggestionOutcome")
        .select(["userId", "outcome"])
        .where("organizationId", "=", orgId)
        .execute(),
    ).toEqual([{ userId: null, outcome: "accepted" }]);

    // The request stays, answered, without the person.
    const requests = await db
      .selectFrom("privacyRequest")
      .select(["status", "userId"])
      .where("kind", "=", "deletion")
      .where("status", "=", "completed")
      .execute();
    expect(requests).toEqual([{ status: "completed", userId: null }]);
    clock.set("2026-03-01T10:00:00Z");
  });

  it("re-checks state: an undo just before the job runs wins", async () => {
    const { actor } = await seedPerson("Late Undo", "late.undo@example.test");
    await requestDeletion(db, services.mail, clock, actor.userId);
    clock.advance(31 * DAY);
    await cancelDeletion(db, clock, actor.userId);
    expect((await purgeDueAccounts(db, { storage: services.storage, clock })).purged).toEqual([]);
    expect(await db.selectFrom("user").select("id").where("id", "=", actor.userId).execute()).toHaveLength(1);
    clock.set("2026-03-01T10:00:00Z");
  });
});
