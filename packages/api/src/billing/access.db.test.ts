import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccessCase, callAs, expectRefused } from "../testing/access-world.ts";
import {
  type BillingAccessWorld,
  billingVictimSecrets,
  billingVictimState,
  buildBillingAccessWorld,
} from "../testing/billing-access-world.ts";
import { createTestUser, listProcedures, uncoveredProcedures } from "../testing/index.ts";
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
  "estimates.send": { access: "org:member", input: (w) => ({ id: w.estimateId }), targetsVictim: true },
  "invoices.send": { access: "org:member", input: (w) => ({ id: w.invoiceId }), targetsVictim: true },
  "payments.record": {
    access: "org:member",
    input: (w) => ({ invoiceId: w.paidInvoiceId, amountMinor: 10, method: "check", reference: "Sneaky" }),
    targetsVictim: true,
  },
  "payments.refund": {
    access: "org:admin",
    input: (w) => ({ paymentId: w.paymentId, amountMinor: 10, reason: "Sneaky refund" }),
    targetsVictim: true,
  },
  "proofs.list": { access: "org:member", input: (w) => ({ jobId: w.jobId }), targetsVictim: true },
  "proofs.add": {
    access: "org:member",
    input: (w) => ({ jobId: w.jobId, fileId: w.fileId }),
    targetsVictim: true,
  },
  "proofs.send": { access: "org:member", input: (w) => ({ id: w.proofId }), targetsVictim: true },
  "proofs.override": {
    access: "org:admin",
    input: (w) => ({ jobId: w.jobId, reason: "Sneaky override" }),
    targetsVictim: true,
  },
  "reports.aging": { access: "org:member", input: () => ({}), targetsVictim: false },
  "reports.revenue": {
    access: "org:member",
    input: () => ({ from: "2020-01-01", to: "2030-12-31" }),
    targetsVictim: false,
  },
  "reports.exportCsv": { access: "org:member", input: () => ({ format: "xero" }), targetsVictim: false },
  "invoices.void": {
    access: "org:admin",
    input: (w) => ({ id: w.invoiceId, reason: "Sneaky void" }),
    targetsVictim: true,
  },
};

/**
 * The customer portal is public: the link is the credential. Each case must open only the document its
 * link was made for; a made-up or other document's link answers NOT_FOUND and changes nothing.
 */
const portalCases: Record<string, (token: string) => unknown> = {
  "portal.view": (token) => ({ token }),
  "portal.approve": (token) => ({ token, name: "Sneaky Name" }),
  "portal.requestChanges": (token) => ({ token, comment: "Sneaky change" }),
  "portal.pay": (token) => ({ token }),
  "portal.pdf": (token) => ({ token }),
  "portal.decideProof": (token) => ({ token, decision: "approved", name: "Sneaky Name" }),
};

/** A signed-in customer's own documents: those whose customer email is their verified email. */
const ACCOUNT_PROCEDURES = ["account.documents", "account.open"];

describe("billing documents of a signed-in customer", () => {
  it("are signed-in procedures, and list and open only the caller's own (verified) documents", async () => {
    const declared = listProcedures(billingRouter).filter((p) => p.access === "signedIn");
    expect(declared.map((p) => p.path).sort()).toEqual(ACCOUNT_PROCEDURES);
    const before = await billingVictimState(w);
    const open = [
      { type: "estimate", id: w.estimateId },
      { type: "invoice", id: w.invoiceId },
    ];
    for (const input of [{}, ...open]) {
      const path = "type" in input ? "account.open" : "account.documents";
      expect((await callAs(w, null, `billing.${path}`, input)).code).toBe("UNAUTHORIZED");
    }
    // Strangers (a customer, another shop's owner, the shop's own member) see none and open none.
    for (const who of [w.customer, w.outsider, w.member]) {
      const listed = await callAs(w, who, "billing.account.documents", {});
      expect(listed.code).toBe("OK");
      const text = JSON.stringify(listed.result);
      for (const secret of billingVictimSecrets(w)) expect(text).not.toContain(secret);
      for (const input of open) {
        expect((await callAs(w, who, "billing.account.open", input)).code).toBe("NOT_FOUND");
      }
    }
    // The same address, not verified, proves nothing.
    const unverified = await createTestUser(handle.db, { email: "VC@example.test" });
    await handle.db
      .updateTable("user")
      .set({ emailVerified: false })
      .where("id", "=", unverified.userId)
      .execute();
    expect((await callAs(w, unverified, "billing.account.documents", {})).result).toEqual({
      verified: false,
      estimates: [],
      invoices: [],
    });
    expect((await callAs(w, unverified, "billing.account.open", open[0])).code).toBe("NOT_FOUND");
    expect(await billingVictimState(w)).toEqual(before);

    // The victim's customer, signed in with that verified address, sees theirs and opens each in the portal.
    await handle.db.deleteFrom("user").where("id", "=", unverified.userId).execute();
    const owner = await createTestUser(handle.db, { email: "vc@example.test" });
    const mine = (await callAs(w, owner, "billing.account.documents", {})).result as {
      estimates: { id: string }[];
      invoices: { id: string }[];
    };
    expect(mine.estimates.map((e) => e.id)).toContain(w.estimateId);
    expect(mine.invoices.map((i) => i.id)).toContain(w.invoiceId);
    for (const input of open) {
      const opened = await callAs(w, owner, "billing.account.open", input);
      expect(opened.code).toBe("OK");
      const token = (opened.result as { portalPath: string }).portalPath.split("/").pop();
      const view = await callAs(w, null, "billing.portal.view", { token });
      expect([input.type, view.code, (view.result as { type: string }).type]).toEqual([
        input.type,
        "OK",
        input.type,
      ]);
    }
  });
});

describe("billing portal access", () => {
  it("declares the portal public and nothing else", () => {
    const declared = listProcedures(billingRouter).filter((p) => p.access === "public");
    expect(declared.map((p) => p.path)).toEqual(Object.keys(portalCases).sort());
  });

  for (const [path, input] of Object.entries(portalCases)) {
    it(`${path}: a link that is not the document's opens nothing`, async () => {
      const before = await billingVictimState(w);
      const forged = [
        "A".repeat(43),
        `${w.portalToken.slice(0, -1)}${w.portalToken.endsWith("A") ? "B" : "A"}`,
        w.estimateId,
        w.invoiceId,
      ];
      for (const token of forged) {
        for (const who of [null, w.customer, w.outsider, w.member]) {
          expect((await callAs(w, who, `billing.${path}`, input(token))).code).toBe("NOT_FOUND");
        }
      }
      expect(await billingVictimState(w)).toEqual(before);
    });
  }

  it("the victim's link shows its estimate and nothing of the shop's other objects", async () => {
    const own = await callAs(w, null, "billing.portal.view", { token: w.portalToken });
    expect(own.code).toBe("OK");
    const text = JSON.stringify(own.result);
    expect(text).toContain("Victim estimate note");
    for (const secret of [
      w.victim.organizationId,
      w.jobId,
      w.customerId,
      w.invoiceId,
      w.paymentId,
      w.noteId,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("billing router access", () => {
  it("has an access case for every procedure, with the declared tier", () => {
    expect(
      uncoveredProcedures(billingRouter, [
        ...Object.keys(cases),
        ...Object.keys(portalCases),
        ...ACCOUNT_PROCEDURES,
      ]),
    ).toEqual([]);
    const declared = Object.fromEntries(
      listProcedures(billingRouter)
        .filter((p) => p.access !== "public" && p.access !== "signedIn")
        .map((p) => [p.path, p.access]),
    );
    expect(declared).toEqual(Object.fromEntries(Object.entries(cases).map(([p, c]) => [p, c.access])));
  });

  for (const [path, c] of Object.entries(cases)) {
    it(`${path}: refuses strangers and other shops with no side effect`, () =>
      expectRefused(
        w,
        `billing.${path}`,
        { ...c, input: c.input(w) },
        { state: billingVictimState, secrets: billingVictimSecrets },
      ));
  }

  it("lets the shop's members (admins for settings) through: the inputs above are valid", async () => {
    for (const [path, c] of Object.entries(cases)) {
      const who = c.access === "org:member" ? w.member : w.admin;
      const result = await callAs(w, who, `billing.${path}`, c.input(w));
      expect([path, result.code]).toEqual([path, "OK"]);
    }
  });
});
