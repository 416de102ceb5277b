import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccessCase, callAs } from "../shop/access-world.ts";
import { listProcedures, uncoveredProcedures } from "../testing/index.ts";
import {
  type BillingAccessWorld,
  billingVictimSecrets,
  billingVictimState,
  buildBillingAccessWorld,
} from "./access-world.ts";
import { billingRouter } from "./router.ts";

let handle: DbHandle;
let w: BillingAccessWorld;
beforeAll(async () => {
  handle = await createTestDb();
  w = await buildBillingAccessWorld(handle);
});
afterAll(() => handle.close());

type BillingCase = Omit<AccessCase, "input"> & { input: (w: BillingAccessWorld) => unknown };

const line = { description: "Sneaky", quantity: 1, unitPriceMinor: 100 };

/** Every procedure of the billing router, with its tier and an input naming the victim's objects. */
const cases: Record<string, BillingCase> = {
  "settings.get": { access: "org:member", input: () => ({}), targetsVictim: false },
  "settings.update": {
    access: "org:admin",
    input: () => ({ legalFooter: "Registered in X" }),
    targetsVictim: false,
  },
  "estimates.list": { access: "org:member", input: () => ({}), targetsVictim: false },
  "estimates.get": { access: "org:member", input: (w) => ({ id: w.estimateId }), targetsVictim: true },
  "estimates.create": { access: "org:member", input: (w) => ({ jobId: w.jobId }), targetsVictim: true },
  "estimates.revise": {
    access: "org:member",
    input: (w) => ({ id: w.estimateId, lines: [line] }),
    targetsVictim: true,
  },
  "invoices.list": { access: "org:member", input: () => ({}), targetsVictim: false },
  "invoices.get": { access: "org:member", input: (w) => ({ id: w.invoiceId }), targetsVictim: true },
  "invoices.create": { access: "org:member", input: (w) => ({ jobId: w.jobId }), targetsVictim: true },
  "invoices.fromEstimate": {
    access: "org:member",
    input: (w) => ({ estimateId: w.approvedEstimateId }),
    targetsVictim: true,
  },
  "invoices.updateDraft": {
    access: "org:member",
    input: (w) => ({ id: w.draftInvoiceId, notes: "Changed" }),
    targetsVictim: true,
  },
  "invoices.issue": { access: "org:member", input: (w) => ({ id: w.draftInvoiceId }), targetsVictim: true },
  "invoices.pdf": { access: "org:member", input: (w) => ({ id: w.invoiceId }), targetsVictim: true },
  // Before void: a void invoice cannot be credited.
  "invoices.creditNote": {
    access: "org:admin",
    input: (w) => ({ invoiceId: w.invoiceId, reason: "Goodwill", lines: [line] }),
    targetsVictim: true,
  },
  "invoices.void": {
    access: "org:admin",
    input: (w) => ({ id: w.invoiceId, reason: "Sneaky void" }),
    targetsVictim: true,
  },
};

describe("billing router access", () => {
  it("has an access case for every procedure, with the declared tier", () => {
    expect(uncoveredProcedures(billingRouter, Object.keys(cases))).toEqual([]);
    const declared = Object.fromEntries(listProcedures(billingRouter).map((p) => [p.path, p.access]));
    expect(declared).toEqual(Object.fromEntries(Object.entries(cases).map(([p, c]) => [p, c.access])));
  });

  for (const [path, c] of Object.entries(cases)) {
    it(`${path}: refuses strangers and other shops with no side effect`, async () => {
      const before = await billingVictimState(w);
      const input = c.input(w);
      expect((await callAs(w, null, `billing.${path}`, input)).code).toBe("FORBIDDEN");
      expect((await callAs(w, w.customer, `billing.${path}`, input)).code).toBe("NOT_FOUND");
      const forged = {
        ...w.outsider,
        session: { ...w.outsider.session, activeOrganizationId: w.victim.organizationId },
      };
      expect((await callAs(w, forged, `billing.${path}`, input)).code).toBe("NOT_FOUND");
      if (c.access !== "org:member") {
        expect((await callAs(w, w.member, `billing.${path}`, input)).code).toBe("FORBIDDEN");
      }
      const own = await callAs(w, w.outsider, `billing.${path}`, input);
      if (c.targetsVictim) {
        expect(own.code).toBe("NOT_FOUND");
      } else {
        expect(own.code).toBe("OK");
        const text = JSON.stringify(own.result ?? null);
        for (const secret of billingVictimSecrets(w)) expect(text).not.toContain(secret);
      }
      expect(await billingVictimState(w)).toEqual(before);
    });
  }

  it("lets the shop's members (admins for settings) through: the inputs above are valid", async () => {
    for (const [path, c] of Object.entries(cases)) {
      const who = c.access === "org:member" ? w.member : w.admin;
      const result = await callAs(w, who, `billing.${path}`, c.input(w));
      expect([path, result.code]).toEqual([path, "OK"]);
    }
  });
});
