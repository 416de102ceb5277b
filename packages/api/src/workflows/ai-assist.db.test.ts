import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createServices, fixedClock, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJob, createJobInput } from "../job/create-job.ts";
import { createIsAiAllowed, updatePrivacySettings } from "../privacy/settings.ts";
import { createPrinter, createPrinterInput } from "../shop/printers.ts";
import { addTestMember, callerFor, createTestUser, type TestActor } from "../testing/index.ts";
import { anthropicToolAnswer, startLoopback } from "../testing/loopback.ts";
import { insertPaidTestOrder } from "../testing/marketplace-fixtures.ts";
import { type ShopFixture, shopFixture, T0 } from "../testing/shop-fixtures.ts";

// Issue 15, req. 4–6: AI steering of the planner, late-job explanations, reply drafts and the audit
// trail, through the API with the real AI switches (the local rules; Anthropic on a loopback server).
let handle: DbHandle;
let shop: ShopFixture;
let member: TestActor;
let xlId: string;
let orderId: string;
const clock = fixedClock(T0);
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const jobs: Record<string, string> = {};

function servicesWith(settings: Record<string, string> = {}): Services {
  return createServices({
    settings: { KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-ai-assist-")), ...settings },
    db: handle.db,
    clock,
    isAiAllowed: createIsAiAllowed(handle.db),
  }).services;
}

async function newJob(title: string, customer: string, hoursLong: number, dueInHours: number) {
  const job = await createJob(
    handle.db,
    { send: async () => ({ id: "fixture" }) },
    shop.actor,
    createJobInput.parse({
      title,
      newCustomer: { name: customer, email: `${customer.split(" ")[0]?.toLowerCase()}@example.test` },
      source: "phone",
      status: "approved",
      dueAt: at(dueInHours),
      items: [
        {
          description: title,
          quantity: 1,
          materialId: shop.plaId,
          color: "Black",
          unitPriceMinor: 1000,
          gramsPerUnit: 50,
          minutesPerUnit: hoursLong * 60,
          sizeMm: { x: 40, y: 30, z: 20 },
        },
      ],
    }),
    at(-1),
  );
  jobs[title] = job.id;
}

beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Steer Works");
  member = await addTestMember(handle.db, shop.organizationId, await createTestUser(handle.db), "member");
  const xl = await createPrinter(
    handle.db,
    shop.actor,
    createPrinterInput.parse({
      name: "Prusa XL",
      make: "Prusa",
      model: "XL",
      technology: "fdm",
      buildVolumeMm: { x: 360, y: 360, z: 360 },
      layerHeightsMm: [0.2],
      nozzleMm: 0.4,
      hourlyRateMinor: 400,
      status: "available",
      notes: "",
      materialIds: [shop.plaId],
    }),
  );
  xlId = xl.id;
  await newJob("Bolt gears", "Bolt Ltd", 2, 6);
  await newJob("Acme brackets", "Acme Robotics", 2, 30);
  await newJob("Impossible clips", "Cleo Quick", 6, 3);
  const buyer = await createTestUser(handle.db, { name: "Mona Buyer" });
  orderId = await insertPaidTestOrder(
    handle.db,
    shop.organizationId,
    { userId: buyer.userId, name: "Mona Buyer", email: buyer.email },
    "Hello, when will my order ship?",
  );
});
afterAll(() => handle.close());

const aiRows = () =>
  handle.db
    .selectFrom("aiRequestLog")
    .selectAll()
    .where("organizationId", "=", shop.organizationId)
    .orderBy("createdAt")
    .orderBy("id")
    .execute();

describe("steering the planner with a sentence (req. 4)", () => {
  it("proposes constraints to confirm; nothing is planned until they are passed to the planner, which honours them", async () => {
    const api = callerFor(handle, member, { clock, services: servicesWith() });
    const steered = await api.ai.plan.steer({
      sentence: "do the Acme order first and keep the Prusa XL free on Monday",
    });
    expect(steered.source).toBe("rules");
    expect(steered.messages).toEqual([]);
    expect(steered.constraints).toEqual([
      { constraint: { kind: "first", jobIds: [jobs["Acme brackets"]] }, explanation: expect.any(String) },
      {
        // The shop's Monday (UTC here), the whole day.
        constraint: {
          kind: "keep_free",
          printerId: xlId,
          from: new Date("2026-03-02T00:00:00Z"),
          to: new Date("2026-03-03T00:00:00Z"),
        },
        explanation: "Nothing is planned on Prusa XL on Monday 2026-03-02.",
      },
    ]);
    // Nothing changed: no job is scheduled.
    const scheduled = await handle.db
      .selectFrom("job")
      .select("id")
      .where("organizationId", "=", shop.organizationId)
      .where("printerId", "is not", null)
      .execute();
    expect(scheduled).toEqual([]);

    // Without the constraints Bolt's (due sooner) goes first; with them, Acme's does and the XL stays free.
    const plain = await api.job.plan.propose({});
    const confirmed = await api.job.plan.propose({
      constraints: steered.constraints.map((c) => c.constraint),
    });
    const first = (p: typeof plain) => p.assignments.filter((a) => a.startAt.getTime() === T0.getTime());
    expect(first(plain).map((a) => a.title)).toContain("Bolt gears");
    const acme = confirmed.assignments.find((a) => a.jobId === jobs["Acme brackets"])!;
    expect(acme.startAt).toEqual(T0);
    expect(
      confirmed.assignments.filter(
        (a) => a.printerId === xlId && a.startAt < new Date("2026-03-03T00:00:00Z"),
      ),
    ).toEqual([]);
    expect(plain.assignments.some((a) => a.printerId === xlId && a.startAt.getTime() === T0.getTime())).toBe(
      true,
    );
  });

  it("says what it could not read, and drops nothing silently", async () => {
    const api = callerFor(handle, member, { clock, services: servicesWith() });
    const result = await api.ai.plan.steer({ sentence: "Zeta Corp first" });
    expect(result.constraints).toEqual([]);
    expect(result.messages).toEqual(['"Zeta Corp first": no open job matches.']);
    await expect(api.ai.plan.steer({ sentence: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("explains a late job from the planner's facts; an on-time job is refused", async () => {
    const api = callerFor(handle, member, { clock, services: servicesWith() });
    const late = await api.ai.plan.explainLate({ jobId: jobs["Impossible clips"]! });
    expect(late.source).toBe("rules");
    expect(late.explanation).toContain("Impossible clips");
    expect(late.explanation).toContain("cannot finish by the due date even on a free printer");
    await expect(api.ai.plan.explainLate({ jobId: jobs["Acme brackets"]! })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("on time"),
    });
  });
});

describe("a suggested reply to a customer message (req. 5)", () => {
  it("drafts a reply from the thread and order (not the customer's name or address) and records sent or dismissed", async () => {
    const api = callerFor(handle, member, { clock, services: servicesWith() });
    const draft = await api.ai.reply.suggest({ orderId });
    expect(draft.source).toBe("rules");
    expect(draft.reply).toContain("Steer Works");
    expect(draft.reply).not.toContain("Mona");
    await api.ai.reply.outcome({ orderId, outcome: "accepted", edited: true });
    await api.ai.reply.outcome({ orderId, outcome: "dismissed", edited: true });
    const outcomes = await handle.db
      .selectFrom("aiSuggestionOutcome")
      .select(["feature", "subjectId", "outcome", "edited", "userId"])
      .where("organizationId", "=", shop.organizationId)
      .orderBy("outcome")
      .execute();
    expect(outcomes).toEqual([
      {
        feature: "reply_draft",
        subjectId: orderId,
        outcome: "accepted",
        edited: true,
        userId: member.userId,
      },
      // A dismissed draft was not sent, so it was not edited either.
      {
        feature: "reply_draft",
        subjectId: orderId,
        outcome: "dismissed",
        edited: false,
        userId: member.userId,
      },
    ]);
  });
});

describe("the AI audit trail (req. 6)", () => {
  it("records one request per AI feature the workspace uses, lists them for admins and the person, and none when switched off", async () => {
    await handle.db.deleteFrom("aiRequestLog").execute();
    const services = servicesWith();
    const api = callerFor(handle, member, { clock, services });
    await api.ai.intakePurchaseOrder({ text: "PO-9: 4 x Gear in PLA" });
    await api.ai.plan.steer({ sentence: "Acme first" });
    await api.ai.plan.explainLate({ jobId: jobs["Impossible clips"]! });
    await api.ai.reply.suggest({ orderId });
    const rows = await aiRows();
    // One each (the fixed clock gives them the same time, so compare as a set).
    expect(rows.map((r) => r.feature).sort()).toEqual([
      "late_explanation",
      "plan_steering",
      "purchase_order_intake",
      "reply_draft",
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({
        userId: member.userId,
        createdAt: T0,
        provider: "rules",
        model: "local-rules",
        tokensEstimated: true,
        outcome: "ok",
      });
      expect(r.inputTokens).toBeGreaterThan(0);
    }
    expect(rows.find((r) => r.feature === "plan_steering")?.dataKinds).toEqual([
      "instruction_sentence",
      "job_titles",
      "customer_names",
      "due_dates",
      "printer_names",
      "time_zone",
    ]);
    // Kinds, never content.
    expect(JSON.stringify(rows)).not.toMatch(/Acme|Gear|ship/);

    // Admins see the trail, newest first, a page at a time; a member may not.
    const owner = callerFor(handle, shop.owner, { clock, services });
    const page1 = await owner.ai.activity.organization({ page: 1, pageSize: 3 });
    expect(page1).toMatchObject({ total: 4, pageCount: 2, page: 1 });
    expect(page1.items).toHaveLength(3);
    expect(page1.items[0]?.userName).toBe(member.name);
    const page2 = await owner.ai.activity.organization({ page: 2, pageSize: 3 });
    expect(page2.items.map((i) => i.featureLabel)).toHaveLength(1);
    await expect(api.ai.activity.organization({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await api.ai.activity.mine({})).total).toBe(4);
    expect((await owner.ai.activity.mine({})).total).toBe(0);

    // Switched off for the organization, then for the person: every feature refuses, nothing is recorded.
    const calls = [
      () => api.ai.intakePurchaseOrder({ text: "PO-9: 4 x Gear in PLA" }),
      () => api.ai.plan.steer({ sentence: "Acme first" }),
      () => api.ai.plan.explainLate({ jobId: jobs["Impossible clips"]! }),
      () => api.ai.reply.suggest({ orderId }),
    ];
    expect(await api.ai.available()).toEqual({ available: true, provider: "rules" });
    await owner.privacy.organization.setAiOff({ aiOff: true });
    expect(await api.ai.available()).toEqual({ available: false, provider: "rules" });
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await owner.privacy.organization.setAiOff({ aiOff: false });
    await updatePrivacySettings(handle.db, member.userId, { aiOff: true }, clock.now());
    expect((await api.ai.available()).available).toBe(false);
    expect((await owner.ai.available()).available).toBe(true);
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await updatePrivacySettings(handle.db, member.userId, { aiOff: false }, clock.now());
    expect(await aiRows()).toHaveLength(4);
    // The planner works the same without AI.
    await updatePrivacySettings(handle.db, member.userId, { aiOff: true }, clock.now());
    expect((await api.job.plan.propose({})).assignments.length).toBeGreaterThan(0);
    await updatePrivacySettings(handle.db, member.userId, { aiOff: false }, clock.now());
  });

  it("with Anthropic: no request leaves while switched off; one request, with the provider's token counts, when on", async () => {
    await handle.db.deleteFrom("aiRequestLog").execute();
    const anthropic = await startLoopback((r) =>
      anthropicToolAnswer(
        r,
        {
          constraints: [
            { kind: "first", jobIds: [jobs["Acme brackets"]], explanation: "Acme's brackets first." },
            { kind: "first", jobIds: ["job_invented"], explanation: "An invented job first." },
          ],
          notUnderstood: [],
        },
        { input_tokens: 812, output_tokens: 64 },
        "claude-loopback",
      ),
    );
    try {
      const services = servicesWith({
        ANTHROPIC_API_KEY: "sk-ant-loopback-0123456789",
        ANTHROPIC_API_BASE_URL: anthropic.url,
      });
      const api = callerFor(handle, member, { clock, services });
      await updatePrivacySettings(handle.db, member.userId, { aiOff: true }, clock.now());
      await expect(api.ai.plan.steer({ sentence: "Acme first" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(api.ai.reply.suggest({ orderId })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(anthropic.received).toHaveLength(0);
      expect(await aiRows()).toEqual([]);

      await updatePrivacySettings(handle.db, member.userId, { aiOff: false }, clock.now());
      const steered = await api.ai.plan.steer({ sentence: "Acme first" });
      expect(anthropic.received).toHaveLength(1);
      expect(steered).toMatchObject({
        source: "anthropic",
        constraints: [{ constraint: { kind: "first", jobIds: [jobs["Acme brackets"]] } }],
        messages: ['Left out "An invented job first.": it names a job that is not open for planning.'],
      });
      // The shop's jobs and printers went, the customer's email did not.
      expect(anthropic.received[0]?.text).toContain("Prusa XL");
      expect(anthropic.received[0]?.text).not.toContain("@example.test");
      expect(await aiRows()).toEqual([
        expect.objectContaining({
          feature: "plan_steering",
          provider: "anthropic",
          model: "claude-loopback",
          inputTokens: 812,
          outputTokens: 64,
          tokensEstimated: false,
          outcome: "ok",
        }),
      ]);
    } finally {
      await anthropic.close();
    }
  });
});

describe("AI help is rate-limited per person and shop (P4)", () => {
  it("refuses the 61st request in an hour before anything is sent; the next hour starts afresh", async () => {
    const limited = fixedClock("2026-03-03T10:00:00Z");
    const person = await addTestMember(
      handle.db,
      shop.organizationId,
      await createTestUser(handle.db),
      "member",
    );
    const api = callerFor(handle, person, { clock: limited, services: servicesWith() });
    for (let i = 0; i < 60; i++) await api.ai.reply.suggest({ orderId });
    const before = await aiRows();
    await expect(api.ai.plan.steer({ sentence: "Acme first" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    expect(await aiRows()).toHaveLength(before.length);
    limited.advance(60 * 60 * 1000);
    await api.ai.plan.steer({ sentence: "Acme first" });
  });
});
