import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachJobFile } from "../job/files.ts";
import {
  attachTestProofFile,
  type BillingShop,
  billingShop,
  lastPortalToken,
} from "../testing/billing-fixtures.ts";
import { addTestMember, callerFor, createTestUser, testServices } from "../testing/index.ts";
import { analyze } from "../testing/marketplace-fixtures.ts";
import { memoryStorage } from "../testing/shop-fixtures.ts";

let handle: DbHandle;
let shop: BillingShop;
let services: Services;
const clock = fixedClock("2026-03-10T10:00:00Z");
const storage = memoryStorage();
beforeAll(async () => {
  handle = await createTestDb();
  services = { ...testServices(handle.db, clock), storage };
  shop = await billingShop(handle.db, "Proof Shop");
});
afterAll(() => handle.close());

const owner = () => callerFor(handle, shop.owner, { clock, services });
const guest = () => callerFor(handle, null, { clock, services });

async function proofFile(name: string) {
  return attachTestProofFile(handle.db, storage, shop, name);
}

/** The job on a printer's slot, so the next move is to printing. */
async function schedule() {
  await handle.db
    .updateTable("job")
    .set({
      status: "scheduled",
      printerId: shop.printerId,
      scheduledStartAt: new Date("2026-03-11T08:00:00Z"),
      scheduledEndAt: new Date("2026-03-11T12:00:00Z"),
    })
    .where("id", "=", shop.jobId)
    .execute();
}

const lastLink = () => lastPortalToken(handle.db, "billing-proof");

describe("proofs", () => {
  it("printing waits for the customer's approval of the current version", async () => {
    await schedule();
    const v1 = await owner().billing.proofs.add({
      jobId: shop.jobId,
      fileId: (await proofFile("v1.pdf")).id,
    });
    expect(v1.version).toBe(1);
    await owner().billing.proofs.send({ id: v1.id });
    const t1 = await lastLink();
    expect(await guest().billing.portal.view({ token: t1 })).toMatchObject({
      type: "proof",
      proof: { version: 1, status: "pending", fileName: "v1.pdf" },
    });
    await expect(owner().job.changeStatus({ jobId: shop.jobId, to: "printing" })).rejects.toThrow(
      /waiting for the customer's approval/,
    );
    await expect(
      guest().billing.portal.decideProof({ token: t1, decision: "rejected", name: "Bea Buyer", comment: "" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await guest().billing.portal.decideProof({
      token: t1,
      decision: "rejected",
      name: "Bea Buyer",
      comment: "Logo should be bigger",
    });
    await expect(owner().job.changeStatus({ jobId: shop.jobId, to: "printing" })).rejects.toThrow(/rejected/);

    const v2 = await owner().billing.proofs.add({
      jobId: shop.jobId,
      fileId: (await proofFile("v2.pdf")).id,
    });
    await owner().billing.proofs.send({ id: v2.id });
    const t2 = await lastLink();
    // The old link cannot approve the old version any more.
    await expect(
      guest().billing.portal.decideProof({ token: t1, decision: "approved", name: "Bea Buyer" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await guest().billing.portal.decideProof({ token: t2, decision: "approved", name: "Bea Buyer" });
    const proofs = await owner().billing.proofs.list({ jobId: shop.jobId });
    expect(proofs.map((p) => [p.version, p.status, p.comment])).toEqual([
      [2, "approved", null],
      [1, "rejected", "Logo should be bigger"],
    ]);
    await owner().job.changeStatus({ jobId: shop.jobId, to: "printing" });
  });

  it("an owner or admin may override with a reason (audited); a member may not", async () => {
    const other = await billingShop(handle.db, "Override Shop");
    const asOwner = callerFor(handle, other.owner, { clock, services });
    const member = await addTestMember(
      handle.db,
      other.organizationId,
      await createTestUser(handle.db),
      "member",
    );
    await handle.db
      .updateTable("job")
      .set({
        status: "scheduled",
        printerId: other.printerId,
        scheduledStartAt: new Date("2026-03-11T08:00:00Z"),
        scheduledEndAt: new Date("2026-03-11T12:00:00Z"),
      })
      .where("id", "=", other.jobId)
      .execute();
    const file = await attachJobFile(
      handle.db,
      { storage, analyze },
      {
        organizationId: other.organizationId,
        jobId: other.jobId,
        actorUserId: other.owner.userId,
        fileName: "mock.png",
        contentType: "image/png",
        bytes: new Uint8Array([137, 80, 78, 71]),
        kind: "mockup",
      },
      new Date(),
    );
    await asOwner.billing.proofs.add({ jobId: other.jobId, fileId: file.id });
    await expect(
      callerFor(handle, member, { clock, services }).billing.proofs.override({
        jobId: other.jobId,
        reason: "Rush job",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asOwner.billing.proofs.override({ jobId: other.jobId, reason: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await asOwner.billing.proofs.override({ jobId: other.jobId, reason: "Customer approved by phone" });
    await asOwner.job.changeStatus({ jobId: other.jobId, to: "printing" });
    const audit = await handle.db
      .selectFrom("auditLog")
      .select(["actorUserId", "data"])
      .where("action", "=", "billing.proof.overridden")
      .where("organizationId", "=", other.organizationId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorUserId).toBe(other.owner.userId);
    expect(JSON.stringify(audit[0]?.data)).toContain("Customer approved by phone");
  });
});
