import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createServices, fixedClock, type Services } from "@ktizo/services";
import {
  FAKE_GOOGLE_CODE,
  FAKE_GOOGLE_CODE_2,
  FAKE_REFRESH_TOKEN,
  type FakeGoogle,
  startFakeGoogle,
} from "@ktizo/services/testing/google";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertMinor } from "../browser-safe/money.ts";
import { createIsAiAllowed, updatePrivacySettings } from "../privacy/settings.ts";
import {
  addTestMember,
  callerFor,
  codeOf,
  createTestOrganization,
  createTestUser,
  type TestActor,
  uncoveredProcedures,
} from "../testing/index.ts";
import { startLoopback } from "../testing/loopback.ts";
import { driveSyncJob } from "./drive.ts";
import { inboxRouter } from "./router.ts";
import { syncGmail } from "./sync.ts";

const clock = fixedClock("2026-06-01T09:00:00Z");
const CLIENT = { clientId: "client.apps.googleusercontent.com", clientSecret: "client-secret" };
const PO_DIR = new URL("../../../services/src/ai/purchase-orders/", import.meta.url);
let handle: DbHandle;
let fake: FakeGoogle;
let services: Services;
let anthropic: Awaited<ReturnType<typeof startLoopback>>;
let owner: TestActor;
let member: TestActor;
let outsider: TestActor;
let organizationId: string;
let jobId: string;
let customerId: string;

beforeAll(async () => {
  handle = await createTestDb();
  fake = await startFakeGoogle({ ...CLIENT, email: "owner@gmail.test" });
  // An AI provider that must never be reached while the AI switches are off.
  anthropic = await startLoopback(() => ({ status: 500, body: { error: "not expected" } }));
  services = createServices({
    settings: {
      KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-inbox-")),
      GOOGLE_CLIENT_ID: CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: CLIENT.clientSecret,
      BETTER_AUTH_SECRET: "better-auth-secret-for-inbox-tests-0123456789",
      GOOGLE_API_BASE_URL: fake.url,
      GOOGLE_OAUTH_BASE_URL: `${fake.url}/oauth`,
      ANTHROPIC_API_KEY: "sk-ant-loopback-0123456789",
      ANTHROPIC_API_BASE_URL: anthropic.url,
    },
    db: handle.db,
    clock,
    isAiAllowed: createIsAiAllowed(handle.db),
  }).services;
  const created = await createTestOrganization(handle.db, await createTestUser(handle.db), {
    name: "Inbox Shop",
  });
  owner = created.owner;
  organizationId = created.organizationId;
  member = await addTestMember(handle.db, organizationId, await createTestUser(handle.db), "member");
  const other = await createTestOrganization(handle.db, await createTestUser(handle.db), {
    name: "Other Shop",
  });
  outsider = other.owner;
  const job = await callerFor(handle, owner, { clock, services }).job.create({
    title: "Brackets",
    newCustomer: { name: "Brightline Robotics", email: "dana@brightline.example" },
  });
  jobId = job.id;
  customerId = job.customer?.id ?? "";
  // AI off for the whole shop: drafting must use the local reader and send nothing to the provider.
  await callerFor(handle, owner, { clock, services }).privacy.organization.setAiOff({ aiOff: true });
});
afterAll(async () => {
  await fake.close();
  await anthropic.close();
  await handle.close();
});

const api = (actor: TestActor | null) => callerFor(handle, actor, { clock, services });

describe("inbox access", () => {
  it("covers every procedure: signed out is refused, another shop's job, thread or folder is not found", async () => {
    const all = [
      "status",
      "consentUrl",
      "connect",
      "disconnect",
      "threads",
      "thread",
      "reply",
      "link",
      "unlink",
      "draftJob",
      "createJobFromDraft",
      "driveFolder",
      "createDriveFolder",
      "syncDriveFolder",
    ].map((p) => `inbox.${p}`);
    expect(uncoveredProcedures(inboxRouter, all, "inbox")).toEqual([]);
    expect(await codeOf(api(null).inbox.status())).toBe("FORBIDDEN");
    expect(await codeOf(api(await createTestUser(handle.db)).inbox.status())).toBe("NOT_FOUND");
    expect(await codeOf(api(outsider).inbox.driveFolder({ jobId }))).toBe("NOT_FOUND");
    expect(await codeOf(api(outsider).inbox.createDriveFolder({ jobId }))).toBe("NOT_FOUND");
    expect(await codeOf(api(outsider).inbox.syncDriveFolder({ jobId }))).toBe("NOT_FOUND");
  });
});

describe("Gmail per member against the loopback Google", () => {
  let threadId: string;
  it("connects the member's own account (consent URL with the three scopes and state)", async () => {
    const { url } = await api(owner).inbox.consentUrl({ state: "state-abcdefghijklmnop" });
    const consent = new URL(url);
    expect(consent.searchParams.get("redirect_uri")).toBe("http://localhost:3000/org/google/callback");
    expect(consent.searchParams.get("state")).toBe("state-abcdefghijklmnop");
    expect(consent.searchParams.get("scope")?.split(" ")).toHaveLength(3);
    await expect(api(owner).inbox.threads({})).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const status = await api(owner).inbox.connect({ code: FAKE_GOOGLE_CODE });
    expect(status).toMatchObject({ provider: "google", connected: true, email: "owner@gmail.test" });
    // The other member connects a different Google account: each sees only their own mailbox.
    await api(member).inbox.connect({ code: FAKE_GOOGLE_CODE_2 });
  });

  it("lists the inbox, opens a thread and offers 'Draft a job' on the purchase order", async () => {
    const pdf = readFileSync(new URL("pdf/01-email-table-usd.pdf", PO_DIR));
    const po = fake.deliver({
      threadId: "thread-po-88213",
      from: "Dana Whitfield <dana@brightline.example>",
      to: "owner@gmail.test",
      subject: "Purchase Order PO-88213 - RUSH",
      text: "Please find our purchase order attached.",
      internalDate: Date.parse("2026-05-31T09:00:00Z"),
      attachment: { id: "att-po", filename: "PO-88213.pdf", mimeType: "application/pdf", bytes: pdf },
    });
    threadId = po.threadId;
    const { threads } = await api(owner).inbox.threads({});
    expect(threads.map((t) => t.id)).toContain(threadId);
    const thread = await api(owner).inbox.thread({ threadId });
    expect(thread.messages[0]).toMatchObject({ purchaseOrder: true, fromMe: false });
    expect(thread.messages[0]?.attachments[0]).toMatchObject({ filename: "PO-88213.pdf", isPdf: true });
    // The other member's mailbox does not have it: not found. A malformed id is not found either.
    expect(await codeOf(api(member).inbox.thread({ threadId }))).toBe("NOT_FOUND");
    expect(await codeOf(api(outsider).inbox.thread({ threadId }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(api(owner).inbox.thread({ threadId: "../x" }))).toBe("BAD_REQUEST");
  });

  it("drafts a job from the PDF with evidence and checked arithmetic; AI off: local reader, no provider request; nothing saved", async () => {
    const jobsBefore = await handle.db.selectFrom("job").select("id").execute();
    const thread = await api(owner).inbox.thread({ threadId });
    const message = thread.messages[0]!;
    const result = await api(owner).inbox.draftJob({
      threadId,
      messageId: message.id,
      attachmentId: message.attachments[0]!.attachmentId,
    });
    if (!result.readable) throw new Error(result.message);
    expect(result.from).toBe("pdf");
    expect(result.draft).toMatchObject({ poNumber: "PO-88213", currency: "USD", source: "rules" });
    expect(result.draft.items.map((i) => [i.quantity, i.unitPriceMinor])).toEqual([
      [24, 340],
      [24, 340],
      [6, 1200],
    ]);
    expect(result.evidence.find((e) => e.field === "PO number")?.source).toBe("PO Number: PO-88213");
    expect(result.evidence.find((e) => e.field === "Phone")?.source).toBe("Tel: +1 (503) 555-0188");
    expect(result.itemEvidence[0]).toEqual({
      description: "1      Gripper finger, left (PETG)     24    $3.40        $81.60",
      quantity: "1      Gripper finger, left (PETG)     24    $3.40        $81.60",
      unitPrice: "1      Gripper finger, left (PETG)     24    $3.40        $81.60",
    });
    expect(result.checks.filter((c) => c.ok === false)).toEqual([]);
    expect(result.checks.map((c) => c.label)).toEqual(
      expect.arrayContaining(["Lines add up to the subtotal", "Subtotal and charges add up to the total"]),
    );
    expect(anthropic.received).toHaveLength(0);
    expect(await handle.db.selectFrom("job").select("id").execute()).toEqual(jobsBefore);
  });

  it("converts a purchase order in another currency to the shop's at the reference rate, with its day", async () => {
    const thread = await api(owner).inbox.thread({ threadId });
    const message = thread.messages[0]!;
    const ask = () =>
      api(owner).inbox.draftJob({
        threadId,
        messageId: message.id,
        attachmentId: message.attachments[0]!.attachmentId,
      });
    // In the shop's own currency (USD): nothing to convert.
    const same = await ask();
    expect(same.readable && same.conversion).toBeNull();
    await handle.db
      .updateTable("organizationProfile")
      .set({ currency: "EUR" })
      .where("organizationId", "=", organizationId)
      .execute();
    try {
      const result = await ask();
      if (!result.readable) throw new Error(result.message);
      const rates = new Map(
        (await handle.db.selectFrom("exchangeRate").select(["currency", "perEur", "rateDate"]).execute()).map(
          (r) => [r.currency, r],
        ),
      );
      const usd = rates.get("USD");
      if (!usd) throw new Error("no USD rate stored");
      const rate = 1 / Number(usd.perEur);
      expect(result.conversion).toEqual({
        from: "USD",
        to: "EUR",
        rate,
        rateDate: usd.rateDate,
        unitPricesMinor: [340, 340, 1200].map((m) => convertMinor(m, "USD", "EUR", rate)),
      });
      // The order's own figures and evidence stay as the order states them.
      expect(result.draft.items.map((i) => i.unitPriceMinor)).toEqual([340, 340, 1200]);
      expect(result.conversion?.unitPricesMinor[0]).not.toBe(340);
    } finally {
      await handle.db
        .updateTable("organizationProfile")
        .set({ currency: "USD" })
        .where("organizationId", "=", organizationId)
        .execute();
    }
  });

  it("flags arithmetic that does not add up, and says a scanned PDF cannot be read", async () => {
    const wrong = fake.deliver({
      threadId: "thread-wrong",
      from: "Buyer <buyer@acme.example>",
      to: "owner@gmail.test",
      subject: "Purchase order PO-5001",
      text: [
        "PO Number: PO-5001",
        "Item          Qty   Unit Price   Total",
        "Cable clip    10    $1.20        $14.00",
        "Gear          5     $2.00        $10.00",
        "Total                            $24.00",
      ].join("\n"),
      internalDate: Date.parse("2026-05-31T10:00:00Z"),
    });
    const text = await api(owner).inbox.draftJob({ threadId: wrong.threadId, messageId: wrong.id });
    if (!text.readable) throw new Error(text.message);
    expect(text.checks.find((c) => c.label.startsWith("Line 1"))).toMatchObject({ ok: false });
    expect(text.checks.find((c) => c.label.startsWith("Line 1"))?.detail).toContain("$12.00");
    expect(text.checks.find((c) => c.label.startsWith("Line 2"))).toMatchObject({ ok: true });
    const scan = fake.deliver({
      threadId: "thread-scan",
      from: "Scanner <scan@acme.example>",
      to: "owner@gmail.test",
      subject: "PO scan",
      text: "See attached",
      internalDate: Date.parse("2026-05-31T11:00:00Z"),
      attachment: {
        id: "att-scan",
        filename: "scan.pdf",
        mimeType: "application/pdf",
        bytes: readFileSync(new URL("pdf/06-scanned-no-text.pdf", PO_DIR)),
      },
    });
    const unread = await api(owner).inbox.draftJob({
      threadId: scan.threadId,
      messageId: scan.id,
      attachmentId: "att-scan",
    });
    expect(unread).toMatchObject({ readable: false, from: "pdf" });
    expect(unread.readable ? "" : unread.message).toMatch(/no text layer.*cannot be read/);
    expect(anthropic.received).toHaveLength(0);
  });

  it("with the member's own switch off (shop on), drafting still never reaches the provider", async () => {
    await api(owner).privacy.organization.setAiOff({ aiOff: false });
    await updatePrivacySettings(handle.db, owner.userId, { aiOff: true }, clock.now());
    const message = (await api(owner).inbox.thread({ threadId })).messages[0]!;
    const result = await api(owner).inbox.draftJob({
      threadId,
      messageId: message.id,
      attachmentId: "att-po",
    });
    expect(result).toMatchObject({ readable: true, draft: { source: "rules" } });
    expect(anthropic.received).toHaveLength(0);
    await updatePrivacySettings(handle.db, owner.userId, { aiOff: false }, clock.now());
    await api(owner).privacy.organization.setAiOff({ aiOff: true });
  });

  it("creates the job only when confirmed, through the create-job path, linked to the thread", async () => {
    const created = await api(owner).inbox.createJobFromDraft({
      threadId,
      job: {
        title: "PO PO-88213: Gripper finger",
        customerId,
        items: [{ description: "Gripper finger, left (PETG)", quantity: 24, unitPriceMinor: 340 }],
      },
    });
    const job = await handle.db
      .selectFrom("job")
      .select(["source", "title"])
      .where("id", "=", created.jobId)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ source: "email", title: "PO PO-88213: Gripper finger" });
    expect((await api(owner).inbox.thread({ threadId })).link).toMatchObject({ jobId: created.jobId });
    const copied = await handle.db
      .selectFrom("conversationMessage")
      .selectAll()
      .where("jobId", "=", created.jobId)
      .execute();
    expect(copied).toHaveLength(1);
    expect(copied[0]).toMatchObject({
      channel: "email",
      provider: "gmail",
      direction: "in",
      threadRef: threadId,
      status: "received",
    });
    // Another member cannot create from a thread not in their mailbox.
    expect(
      await codeOf(api(member).inbox.createJobFromDraft({ threadId, job: { title: "x", customerId } })),
    ).toBe("NOT_FOUND");
  });

  it("links a thread to a job; the sync copies new messages of linked threads only (history cursor, 404 → full re-sync)", async () => {
    const question = fake.deliver({
      threadId: "thread-question",
      from: "Dana Whitfield <dana@brightline.example>",
      to: "owner@gmail.test",
      subject: "Brackets: colour?",
      text: "Could they be black?",
      internalDate: Date.parse("2026-05-31T12:00:00Z"),
    });
    expect(await codeOf(api(outsider).inbox.link({ threadId: question.threadId, jobId }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(api(member).inbox.link({ threadId: question.threadId, jobId }))).toBe("NOT_FOUND");
    const foreignJob = await api(outsider).job.create({ title: "theirs", newCustomer: { name: "X" } });
    expect(await codeOf(api(owner).inbox.link({ threadId: question.threadId, jobId: foreignJob.id }))).toBe(
      "NOT_FOUND",
    );
    await api(owner).inbox.link({ threadId: question.threadId, jobId });
    const rows = () =>
      handle.db
        .selectFrom("conversationMessage")
        .selectAll()
        .where("jobId", "=", jobId)
        .orderBy("createdAt")
        .execute();
    expect((await rows()).map((r) => r.body)).toEqual(["Could they be black?"]);

    // The reply goes out as the member, in the thread, and is on the job at once.
    await api(owner).inbox.reply({ threadId: question.threadId, text: "Yes — black PETG it is." });
    const sent = fake.sent.at(-1)!;
    expect(sent.threadId).toBe(question.threadId);
    expect(sent.raw).toContain("To: Dana Whitfield <dana@brightline.example>");
    expect(sent.raw).toContain(`In-Reply-To: ${question.messageIdHeader}`);
    expect(sent.raw).toContain("Subject: Re: Brackets: colour?");
    expect((await rows()).map((r) => [r.direction, r.authorUserId])).toEqual([
      ["in", null],
      ["out", owner.userId],
    ]);

    // New messages: one on the linked thread, one elsewhere. Only the first is copied, once.
    fake.deliver({
      threadId: question.threadId,
      from: "Dana Whitfield <dana@brightline.example>",
      to: "owner@gmail.test",
      subject: "Re: Brackets: colour?",
      text: "Great, thanks!",
      internalDate: Date.parse("2026-06-01T09:10:00Z"),
    });
    fake.deliver({
      threadId: "thread-unlinked",
      from: "news@letter.example",
      to: "owner@gmail.test",
      subject: "News",
      text: "Unrelated",
      internalDate: Date.parse("2026-06-01T09:20:00Z"),
    });
    const cursorBefore = (
      await handle.db
        .selectFrom("googleAccount")
        .select("historyId")
        .where("userId", "=", owner.userId)
        .executeTakeFirstOrThrow()
    ).historyId;
    await syncGmail(handle.db, services.google, clock);
    await syncGmail(handle.db, services.google, clock);
    expect((await rows()).map((r) => r.body)).toEqual([
      "Could they be black?",
      "Yes — black PETG it is.",
      "Great, thanks!",
    ]);
    const historyCalls = fake.server.received.filter((r) => r.path === "/gmail/v1/users/me/history");
    expect(historyCalls[0]?.url.searchParams.get("startHistoryId")).toBe(cursorBefore);
    expect(historyCalls.at(-1)?.url.searchParams.get("startHistoryId")).toBe(String(fake.mailbox.historyId));
    expect(JSON.stringify(await rows())).not.toContain("Unrelated");

    // The cursor is too old (Google answers 404): a full re-sync of the linked threads, still nothing twice.
    fake.deliver({
      threadId: question.threadId,
      from: "Dana Whitfield <dana@brightline.example>",
      to: "owner@gmail.test",
      subject: "Re: Brackets: colour?",
      text: "One more thing",
      internalDate: Date.parse("2026-06-01T09:30:00Z"),
    });
    fake.mailbox.oldestHistoryId = fake.mailbox.historyId + 1;
    await syncGmail(handle.db, services.google, clock);
    expect((await rows()).map((r) => r.body)).toEqual([
      "Could they be black?",
      "Yes — black PETG it is.",
      "Great, thanks!",
      "One more thing",
    ]);
    expect(
      (
        await handle.db
          .selectFrom("googleAccount")
          .select("historyId")
          .where("userId", "=", owner.userId)
          .executeTakeFirstOrThrow()
      ).historyId,
    ).toBe(String(fake.mailbox.historyId));
    expect(await codeOf(api(member).inbox.unlink({ threadId: question.threadId }))).toBe("NOT_FOUND");
  });
});

describe("Drive folder per job against the loopback Google", () => {
  it("creates 'JOB-n · Customer', uploads the job's files into it and lists Drive's own files back", async () => {
    const bytes = new TextEncoder().encode("solid bracket\nendsolid bracket\n");
    const stored = await services.storage.put({ bytes, contentType: "model/stl", fileName: "bracket.stl" });
    await handle.db
      .insertInto("jobFile")
      .values({
        id: newId("jfl"),
        organizationId,
        jobId,
        kind: "model",
        storageKey: stored.key,
        fileName: "bracket.stl",
        contentType: "model/stl",
        sizeBytes: bytes.byteLength,
        analysis: null,
        uploadedBy: owner.userId,
      })
      .execute();
    expect((await api(owner).inbox.driveFolder({ jobId })).folder).toBeNull();
    const view = await api(owner).inbox.createDriveFolder({ jobId });
    const number = (
      await handle.db.selectFrom("job").select("number").where("id", "=", jobId).executeTakeFirstOrThrow()
    ).number;
    expect(view.folder).toMatchObject({
      name: `JOB-${number} · Brightline Robotics`,
      syncing: true,
      mine: true,
    });
    const folder = [...fake.drive.values()].find((f) => f.mimeType === "application/vnd.google-apps.folder")!;
    expect(folder.name).toBe(`JOB-${number} · Brightline Robotics`);
    const uploaded = [...fake.drive.values()].find((f) => f.name === "bracket.stl")!;
    expect(uploaded.parents).toEqual([folder.id]);
    expect(uploaded.body.toString()).toBe("solid bracket\nendsolid bracket\n");
    expect(view.files.map((f) => [f.name, f.origin])).toEqual([["bracket.stl", "ktizo"]]);
    // Someone adds a drawing in Drive: the worker lists it back on the job; the job file is not uploaded twice.
    fake.drive.set("drive-added-1", {
      id: "drive-added-1",
      name: "drawing.pdf",
      mimeType: "application/pdf",
      parents: [folder.id],
      body: Buffer.from("%PDF"),
    });
    await driveSyncJob.run({}, { db: handle.db, services, clock });
    const after = await api(member).inbox.driveFolder({ jobId });
    expect(after.folder?.mine).toBe(false);
    expect(after.files.map((f) => [f.name, f.origin]).sort()).toEqual([
      ["bracket.stl", "ktizo"],
      ["drawing.pdf", "drive"],
    ]);
    expect([...fake.drive.values()].filter((f) => f.name === "bracket.stl")).toHaveLength(1);
  });

  it("disconnect revokes the token, deletes the account, its links and cached mail, and stops the Drive sync", async () => {
    expect(await handle.db.selectFrom("gmailMessage").selectAll().execute()).not.toEqual([]);
    expect(await api(owner).inbox.disconnect()).toEqual({ revoked: true });
    expect(fake.revoked).toContain(FAKE_REFRESH_TOKEN);
    const account = await handle.db
      .selectFrom("googleAccount")
      .select("id")
      .where("userId", "=", owner.userId)
      .execute();
    expect(account).toEqual([]);
    const ownerLinks = await handle.db
      .selectFrom("gmailThreadLink")
      .selectAll()
      .where("linkedByUserId", "=", owner.userId)
      .execute();
    expect(ownerLinks).toEqual([]);
    expect(
      await handle.db
        .selectFrom("gmailMessage")
        .selectAll()
        .where("toHeader", "like", "%owner@gmail.test%")
        .execute(),
    ).toEqual([]);
    const view = await api(owner).inbox.driveFolder({ jobId });
    expect(view.folder?.syncing).toBe(false);
    const before = fake.server.received.length;
    await driveSyncJob.run({}, { db: handle.db, services, clock });
    await syncGmail(handle.db, services.google, clock);
    expect(fake.server.received.slice(before).filter((r) => !r.path.startsWith("/oauth"))).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("the privacy center lists the member's own connected account and disconnects it; someone else's is not found", async () => {
    const accounts = await api(member).privacy.google.accounts();
    expect(accounts).toEqual([
      expect.objectContaining({
        organizationId,
        organizationName: "Inbox Shop",
        email: "someone.else@gmail.test",
      }),
    ]);
    expect(accounts[0]?.scopes).toHaveLength(3);
    expect(await api(outsider).privacy.google.accounts()).toEqual([]);
    expect(await codeOf(api(outsider).privacy.google.disconnect({ organizationId }))).toBe("NOT_FOUND");
    expect(await api(member).privacy.google.disconnect({ organizationId })).toEqual({ revoked: true });
    expect(await api(member).privacy.google.accounts()).toEqual([]);
    expect(fake.violations).toEqual([]);
  });
});
