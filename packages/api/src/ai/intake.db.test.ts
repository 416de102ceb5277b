import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createServices, fixedClock, type Services } from "@ktizo/services";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsAiAllowed, updatePrivacySettings } from "../privacy/settings.ts";
import { appRouter } from "../root.ts";
import {
  addTestMember,
  callerFor,
  codeOf,
  createTestContext,
  createTestOrganization,
  createTestUser,
  type TestActor,
} from "../testing/index.ts";
import { anthropicToolAnswer, startLoopback } from "../testing/loopback.ts";

const clock = fixedClock("2026-06-01T09:00:00Z");
const PO_TEXT =
  "Purchase order PO-7781 from Acme Robotics (buyer@acme.test)\n20 x Bracket in PETG, needed by 2026-07-01";
let handle: DbHandle;
let owner: TestActor;
let member: TestActor;
let organizationId: string;

beforeAll(async () => {
  handle = await createTestDb();
  const created = await createTestOrganization(handle.db, await createTestUser(handle.db), {
    name: "Intake Shop",
  });
  owner = created.owner;
  organizationId = created.organizationId;
  member = await addTestMember(handle.db, organizationId, await createTestUser(handle.db), "member");
});
afterAll(() => handle.close());

/** Local services (no Anthropic key: the rules reader) with the real AI switches in front. */
function localAi(): Services {
  return createServices({
    settings: { KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-ai-")) },
    db: handle.db,
    clock,
    isAiAllowed: createIsAiAllowed(handle.db),
  }).services;
}

describe("ai access", () => {
  // Every procedure of the ai router is enumerated in access.db.test.ts.
  it("reads purchase orders for members of the organization only", async () => {
    const call = (actor: TestActor | null) =>
      callerFor(handle, actor, { clock, services: localAi() }).ai.intakePurchaseOrder({ text: PO_TEXT });
    expect(await codeOf(call(null))).toBe("FORBIDDEN");
    expect(await codeOf(call(await createTestUser(handle.db)))).toBe("NOT_FOUND");
    expect(await codeOf(call(member))).toBe("OK");
  });
});

describe("purchase-order intake (P13)", () => {
  it("drafts a job from pasted text, matched to the shop's own customer and material; empty text is refused", async () => {
    const customerId = newId("cus");
    await handle.db
      .insertInto("customer")
      .values({ id: customerId, organizationId, name: "Acme Robotics", email: "Buyer@Acme.test" })
      .execute();
    // Without an Anthropic key the local rules read the order (labelled as such).
    const services = localAi();
    const api = callerFor(handle, member, { clock, services });
    const draft = await api.ai.intakePurchaseOrder({ text: PO_TEXT });
    expect(draft.source).toBe("rules");
    expect(draft.items.length).toBeGreaterThan(0);
    expect(draft.items[0]?.quantity).toBe(20);
    expect(draft).toMatchObject({
      poNumber: "PO-7781",
      title: expect.stringContaining("PO PO-7781"),
      dueDate: "2026-07-01",
      customer: { email: "buyer@acme.test", existingCustomerId: customerId },
    });
    expect(draft.items[0]).toMatchObject({ material: "PETG", materialId: null });
    await expect(api.ai.intakePurchaseOrder({ text: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Nothing is written: no job appears.
    expect(await handle.db.selectFrom("job").where("organizationId", "=", organizationId).execute()).toEqual(
      [],
    );
  });

  it("zero requests reach the AI provider through a direct /api/trpc request when the organization or user switch is off", async () => {
    const anthropic = await startLoopback((r) =>
      anthropicToolAnswer(r, {
        poNumber: "PO-7781",
        customerName: "Ada Buyer",
        customerCompany: "Acme Robotics",
        customerEmail: "buyer@acme.test",
        customerPhone: null,
        dueDate: "2026-07-01",
        currency: "EUR",
        items: [{ description: "Bracket", quantity: 20, material: "PETG", unitPriceMinor: null }],
        notes: null,
        rush: false,
      }),
    );
    try {
      const services: Services = createServices({
        settings: {
          KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-ai-")),
          ANTHROPIC_API_KEY: "sk-ant-loopback-0123456789",
          ANTHROPIC_API_BASE_URL: anthropic.url,
        },
        db: handle.db,
        clock,
        isAiAllowed: createIsAiAllowed(handle.db),
      }).services;
      /** A real HTTP request through tRPC's fetch adapter, as the browser sends it to /api/trpc. */
      const post = async (actor: TestActor) => {
        const response = await fetchRequestHandler({
          endpoint: "/api/trpc",
          req: new Request("http://127.0.0.1/api/trpc/ai.intakePurchaseOrder", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ json: { text: PO_TEXT } }),
          }),
          router: appRouter,
          createContext: async () => createTestContext(handle, actor, { clock, services }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };

      // Organization switch off (set by the owner through the API): nothing leaves, the caller is told.
      await callerFor(handle, owner, { clock, services }).privacy.organization.setAiOff({ aiOff: true });
      const orgOff = await post(member);
      expect(orgOff.status).toBe(403);
      expect(JSON.stringify(orgOff.body)).toContain("switched off");
      expect(anthropic.received).toHaveLength(0);

      // Organization on, the member's own switch off: still nothing.
      await callerFor(handle, owner, { clock, services }).privacy.organization.setAiOff({ aiOff: false });
      await updatePrivacySettings(handle.db, member.userId, { aiOff: true }, clock.now());
      expect((await post(member)).status).toBe(403);
      expect(anthropic.received).toHaveLength(0);

      // Both on: exactly one request reaches the provider, and the draft comes back.
      await updatePrivacySettings(handle.db, member.userId, { aiOff: false }, clock.now());
      const on = await post(member);
      expect(on.status).toBe(200);
      expect(JSON.stringify(on.body)).toContain("PO-7781");
      expect(anthropic.received).toHaveLength(1);
    } finally {
      await anthropic.close();
    }
  });

  it("is rate-limited per user and shop (P4): the 21st reading in an hour is refused, the next hour starts afresh", async () => {
    const limitedClock = fixedClock("2026-06-02T10:00:00Z");
    const person = await addTestMember(handle.db, organizationId, await createTestUser(handle.db), "member");
    const api = callerFor(handle, person, { clock: limitedClock, services: localAi() });
    for (let i = 0; i < 20; i++) await api.ai.intakePurchaseOrder({ text: PO_TEXT });
    await expect(api.ai.intakePurchaseOrder({ text: PO_TEXT })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringContaining("Try again in 60 minutes"),
    });
    // Someone else in the shop is not affected; the next hour starts afresh.
    await callerFor(handle, member, { clock: limitedClock, services: localAi() }).ai.intakePurchaseOrder({
      text: PO_TEXT,
    });
    limitedClock.advance(60 * 60 * 1000);
    await api.ai.intakePurchaseOrder({ text: PO_TEXT });
  });
});
