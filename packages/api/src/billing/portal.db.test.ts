import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, isTestModePayments, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, testServices } from "../testing/index.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import { approveEstimate } from "./portal.ts";
import { portalProofFile, proofViewKind } from "./proofs.ts";

let handle: DbHandle;
let shop: BillingShop;
let services: Services;
const clock = fixedClock("2026-03-10T10:00:00Z");
beforeAll(async () => {
  handle = await createTestDb();
  services = testServices(handle.db, clock);
  shop = await billingShop(handle.db, "Portal Shop");
});
afterAll(() => handle.close());

const owner = () => callerFor(handle, shop.owner, { clock, services });
const guest = () => callerFor(handle, null, { clock, services });

/** The portal token of the newest email to `to`. */
async function linkIn(to: string): Promise<string> {
  const m = await handle.db
    .selectFrom("outboxMessage")
    .select(["bodyText", "category"])
    .where("recipient", "=", to)
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  expect(m.category).toBe("service");
  const token = /\/portal\/([A-Za-z0-9_-]{43})/.exec(m.bodyText ?? "")?.[1];
  if (!token) throw new Error(`no portal link in ${m.bodyText}`);
  return token;
}

/** Pays a test-mode checkout the way the portal's test page does: the same signed webhook as Stripe's. */
async function payTestCheckout(url: string) {
  const sessionId = /\/pay\/(cs_test_\w+)$/.exec(url)?.[1] ?? "";
  const payments = services.payments;
  if (!isTestModePayments(payments)) throw new Error("not test mode");
  const signed = await payments.completeCheckout(sessionId);
  const first = await handleStripeWebhook(handle.db, services, signed.payload, signed.signature, clock.now());
  const again = await handleStripeWebhook(handle.db, services, signed.payload, signed.signature, clock.now());
  return [first.body.outcome, again.body.outcome];
}

describe("customer portal and payments", () => {
  it("estimate → changes → approval with evidence → deposit → invoice → balance paid online", async () => {
    const est = await owner().billing.estimates.create({
      jobId: shop.jobId,
      deposit: { kind: "percent", bps: 5000 },
      validUntil: "2026-04-30",
    });
    await owner().billing.estimates.send({ id: est.id });
    const t1 = await linkIn(shop.customerEmail);
    const view = await guest().billing.portal.view({ token: t1 });
    expect(view).toMatchObject({ type: "estimate", shop: { name: "Portal Shop" } });
    expect(JSON.stringify(view)).not.toContain(shop.organizationId);
    expect((await owner().billing.estimates.get({ id: est.id })).viewedAt).not.toBeNull();
    // Paying before approval is refused.
    await expect(guest().billing.portal.pay({ token: t1 })).rejects.toMatchObject({ code: "CONFLICT" });

    await guest().billing.portal.requestChanges({ token: t1, comment: "Can the cover be white?" });
    const asked = await owner().billing.estimates.get({ id: est.id });
    expect(asked).toMatchObject({ status: "changes_requested", changeRequest: "Can the cover be white?" });
    await owner().billing.estimates.revise({
      id: est.id,
      lines: [
        { description: "Bracket", quantity: 4, jobItemId: shop.itemIds[0] ?? null },
        { description: "Cover, white", quantity: 1, unitPriceMinor: 3500 },
      ],
      deposit: { kind: "percent", bps: 5000 },
      validUntil: "2026-04-30",
    });
    await owner().billing.estimates.send({ id: est.id });
    const t2 = await linkIn(shop.customerEmail);

    await approveEstimate(
      handle.db,
      { token: t2, name: "Bea Buyer" },
      { ip: "203.0.113.7", userAgent: "Firefox/140" },
      clock.now(),
    );
    const approved = await owner().billing.estimates.get({ id: est.id });
    expect(approved).toMatchObject({
      status: "approved",
      approvedVersion: 2,
      approvedName: "Bea Buyer",
      approvedIp: "203.0.113.7",
      approvedUserAgent: "Firefox/140",
      jobStatus: "approved",
    });
    await expect(guest().billing.portal.approve({ token: t2, name: "Bea Buyer" })).rejects.toMatchObject({
      code: "CONFLICT",
    });

    const pay = await guest().billing.portal.pay({ token: t2 });
    expect(pay.url).toMatch(new RegExp(`^/portal/${t2}/pay/cs_test_`));
    expect(await payTestCheckout(pay.url)).toEqual(["applied", "duplicate"]);
    expect((await owner().billing.estimates.get({ id: est.id })).depositPaidMinor).toBe(4250);
    await expect(guest().billing.portal.pay({ token: t2 })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const draft = await owner().billing.invoices.fromEstimate({
      estimateId: est.id,
      terms: "due_on_receipt",
    });
    expect(draft.totalMinor).toBe(8500);
    const issued = await owner().billing.invoices.issue({ id: draft.id });
    expect(issued.balance).toMatchObject({ paidMinor: 4250, dueMinor: 4250 });
    expect(issued.displayStatus).toBe("partly_paid");
    await owner().billing.invoices.send({ id: draft.id });
    // The email carries the invoice's PDF, the same document the download gives.
    const emailed = await handle.db
      .selectFrom("outboxMessage")
      .select(["attachments", "bodyText"])
      .where("template", "=", "billing-invoice")
      .where("recipient", "=", shop.customerEmail)
      .executeTakeFirstOrThrow();
    expect(emailed.bodyText).toContain("The PDF is attached.");
    expect(emailed.attachments).toHaveLength(1);
    const attached = emailed.attachments?.[0];
    expect(attached).toMatchObject({ fileName: `${issued.number}.pdf`, contentType: "application/pdf" });
    const pdfBytes = Buffer.from(attached?.contentBase64 ?? "", "base64");
    expect(pdfBytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(attached?.sizeBytes).toBe(pdfBytes.length);
    const t3 = await linkIn(shop.customerEmail);
    const invView = await guest().billing.portal.view({ token: t3 });
    expect(invView).toMatchObject({
      type: "invoice",
      invoice: { number: issued.number, status: "partly_paid" },
    });
    const pay2 = await guest().billing.portal.pay({ token: t3 });
    expect(await payTestCheckout(pay2.url)).toEqual(["applied", "duplicate"]);
    const paid = await owner().billing.invoices.get({ id: draft.id });
    expect(paid).toMatchObject({ displayStatus: "paid", balance: { dueMinor: 0, paidMinor: 8500 } });

    // An online refund goes through the payments service and reopens the balance.
    const online = paid.payments.find((p) => p.method === "online" && !p.isDeposit);
    await owner().billing.payments.refund({
      paymentId: online?.id ?? "",
      amountMinor: 1000,
      reason: "Scratch",
    });
    const refunded = await owner().billing.invoices.get({ id: draft.id });
    expect(refunded.balance).toMatchObject({ refundedMinor: 1000, dueMinor: 1000 });
    await expect(
      owner().billing.payments.refund({ paymentId: online?.id ?? "", amountMinor: 4000, reason: "Too much" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a link opens only its own document, and not after it expires", async () => {
    const e1 = await owner().billing.estimates.create({ jobId: shop.jobId });
    await owner().billing.estimates.send({ id: e1.id });
    const t = await linkIn(shop.customerEmail);
    await expect(guest().billing.portal.view({ token: "x".repeat(43) })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // One character changed (never to itself: a token may end in "A").
    const tampered = `${t.slice(0, 42)}${t.endsWith("A") ? "B" : "A"}`;
    await expect(guest().billing.portal.view({ token: tampered })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // An estimate link opens no proof file; a proof link opens its own version's file only.
    await expect(portalProofFile(handle.db, t, clock.now())).rejects.toMatchObject({ code: "NOT_FOUND" });
    const file = await handle.db
      .insertInto("jobFile")
      .values({
        id: "jfl_portal_proof",
        organizationId: shop.organizationId,
        jobId: shop.jobId,
        kind: "proof",
        fileName: "stand.stl",
        contentType: "model/stl",
        sizeBytes: 1,
        storageKey: "proofs/stand.stl",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const proof = await owner().billing.proofs.add({ jobId: shop.jobId, fileId: file.id });
    await owner().billing.proofs.send({ id: proof.id });
    const proofToken = await linkIn(shop.customerEmail);
    expect(await portalProofFile(handle.db, proofToken, clock.now())).toEqual({
      storageKey: "proofs/stand.stl",
      fileName: "stand.stl",
      contentType: "model/stl",
    });
    expect(proofViewKind("stand.stl", "model/stl")).toBe("model");
    expect(proofViewKind("proof.png", "image/png")).toBe("image");
    expect(proofViewKind("proof.svg", "image/svg+xml")).toBe("other");
    expect(proofViewKind("proof.pdf", "application/pdf")).toBe("pdf");
    // An estimate link cannot be used as a payment link of an invoice or approve another estimate.
    const before = await owner().billing.estimates.get({ id: e1.id });
    expect(before.status).toBe("sent");
    const later = fixedClock(new Date(clock.now().getTime() + 61 * 86_400_000));
    await expect(
      callerFor(handle, null, { clock: later, services }).billing.portal.view({ token: t }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(handle, null, { clock: later, services }).billing.portal.approve({
        token: t,
        name: "Late Larry",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await owner().billing.estimates.get({ id: e1.id })).status).toBe("sent");
    const row = await handle.db
      .selectFrom("portalToken")
      .select("tokenHash")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      await handle.db.selectFrom("portalToken").select("id").where("tokenHash", "=", t).execute(),
    ).toEqual([]);
  });
});
