import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createGatedAi, createRulesAi, databaseAiRecorder, systemClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccessCase,
  type AccessWorld,
  buildAccessWorld,
  callAs,
  expectRefused,
  victimSecrets,
} from "../testing/access-world.ts";
import { listProcedures, uncoveredProcedures } from "../testing/index.ts";
import { insertPaidTestOrder } from "../testing/marketplace-fixtures.ts";
import { aiRouter } from "./router.ts";

let handle: DbHandle;
let w: AccessWorld;
let orderId: string;

beforeAll(async () => {
  handle = await createTestDb();
  w = await buildAccessWorld(handle);
  // AI on for everyone here (the local rules, recorded): the switches have their own tests.
  w.services = {
    ...w.services,
    ai: createGatedAi(createRulesAi(), () => true, {
      record: databaseAiRecorder(handle.db),
      clock: systemClock,
    }),
  };
  // A paid marketplace order of the victim shop, with a customer's question.
  orderId = await insertPaidTestOrder(
    handle.db,
    w.victim.organizationId,
    { userId: w.customer.userId, name: "Victim Customer", email: "vc@example.test" },
    "When will my part ship?",
  );
});
afterAll(() => handle.close());

/** Every organization procedure of the ai router, with its tier and an input naming the victim's objects. */
const cases: Record<string, AccessCase> = {
  available: { access: "org:member", input: () => undefined, targetsVictim: false },
  intakePurchaseOrder: {
    access: "org:member",
    input: () => ({ text: "PO-1: 2 x Bracket in PLA" }),
    targetsVictim: false,
  },
  "plan.steer": { access: "org:member", input: () => ({ sentence: "#1 first" }), targetsVictim: false },
  "plan.explainLate": { access: "org:member", input: (w) => ({ jobId: w.jobId }), targetsVictim: true },
  "reply.suggest": { access: "org:member", input: () => ({ orderId }), targetsVictim: true },
  "reply.outcome": {
    access: "org:member",
    input: () => ({ orderId, outcome: "dismissed" }),
    targetsVictim: true,
  },
  "activity.organization": { access: "org:admin", input: () => ({}), targetsVictim: false },
};

describe("ai router access", () => {
  it("has an access case for every procedure, with the declared tier", () => {
    expect(uncoveredProcedures(aiRouter, [...Object.keys(cases), "activity.mine"])).toEqual([]);
    const declared = Object.fromEntries(listProcedures(aiRouter).map((p) => [p.path, p.access]));
    expect(declared).toEqual({
      ...Object.fromEntries(Object.entries(cases).map(([p, c]) => [p, c.access])),
      "activity.mine": "signedIn",
    });
  });

  for (const [path, c] of Object.entries(cases)) {
    it(`${path}: refuses strangers and other shops with no side effect`, () =>
      expectRefused(w, `ai.${path}`, { ...c, input: c.input(w) }));
  }

  it("lets the shop's members through (the inputs above are valid)", async () => {
    const expected: Record<string, string> = {
      // The victim's job is on time in its plan: the member is let through and told so.
      "plan.explainLate": "BAD_REQUEST",
      "activity.organization": "FORBIDDEN",
    };
    for (const [path, c] of Object.entries(cases)) {
      const result = await callAs(w, w.member, `ai.${path}`, c.input(w));
      expect([path, result.code]).toEqual([path, expected[path] ?? "OK"]);
    }
    expect((await callAs(w, w.admin, "ai.activity.organization", {})).code).toBe("OK");
  });

  it("activity.mine: signed in only; each person sees their own requests, never the shop's others", async () => {
    expect((await callAs(w, null, "ai.activity.mine", {})).code).toBe("UNAUTHORIZED");
    await callAs(w, w.member, "ai.plan.steer", { sentence: "#1 first" });
    const mine = await callAs(w, w.member, "ai.activity.mine", {});
    expect(mine.code).toBe("OK");
    const items = (mine.result as { items: Array<{ userName: string | null; feature: string }> }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.userName))).toEqual(new Set(["Max Member"]));
    const outsider = await callAs(w, w.outsider, "ai.activity.mine", {});
    const text = JSON.stringify(outsider.result);
    expect(text).not.toContain("Max Member");
    for (const secret of victimSecrets(w)) expect(text).not.toContain(secret);
    const customer = await callAs(w, w.customer, "ai.activity.mine", {});
    expect(customer).toMatchObject({ code: "OK", result: { items: [], total: 0 } });
  });
});
