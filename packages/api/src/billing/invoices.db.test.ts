import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { sql } from "kysely";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, testServices } from "../testing/index.ts";

let handle: DbHandle;
let shop: BillingShop;
let other: BillingShop;
const clock = fixedClock("2026-03-10T10:00:00Z");
beforeAll(async () => {
  handle = await createTestDb();
  shop = await billingShop(handle.db, "Invoice Shop");
  other = await billingShop(handle.db, "Second Shop");
});
afterAll(() => handle.close());

const api = (who = shop) => callerFor(handle, who.owner, { clock, services: testServices(handle.db, clock) });

describe("invoices", () => {
  it("drafts from a job, issues with a gapless number and the parties' details, due per the terms", async () => {
    const draft = await api().billing.invoices.create({ jobId: shop.jobId, terms: "net_15" });
    expect(draft).toMatchObject({ status: "draft", number: null, totalMinor: 8000, displayStatus: "draft" });
    expect(draft.recipientEmail).toBe(shop.customerEmail);
    const edited = await api().billing.invoices.updateDraft({
      id: draft.id,
      lines: [{ description: "Brackets", quantity: 4, unitPriceMinor: 1500, taxRateId: shop.vatId }],
      shippingMinor: 500,
      notes: "Thanks!",
    });
    expect(edited.totalMinor).toBe(6000 + 1200 + 500);
    const issued = await api().billing.invoices.issue({ id: draft.id });
    expect(issued).toMatchObject({
      status: "issued",
      number: "INV-2026-0001",
      issueDate: "2026-03-10",
      dueDate: "2026-03-25",
      displayStatus: "sent",
      retainUntil: "2036-03-10",
    });
    expect(issued.seller?.name).toBe("Invoice Shop");
    expect(issued.buyer).toMatchObject({ name: "Bea Buyer", phone: null });
    expect(JSON.stringify(issued.buyer)).not.toContain("@");
    await expect(api().billing.invoices.updateDraft({ id: draft.id, notes: "x" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(api().billing.invoices.issue({ id: draft.id })).rejects.toMatchObject({ code: "CONFLICT" });
    // Another shop has its own sequence.
    const theirs = await api(other).billing.invoices.create({ jobId: other.jobId });
    expect((await api(other).billing.invoices.issue({ id: theirs.id })).number).toBe("INV-2026-0001");
    await expect(api(other).billing.invoices.get({ id: draft.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const listed = await api().billing.invoices.list({ search: "0001" });
    expect(listed.map((i) => [i.number, i.displayStatus, i.balance.dueMinor])).toEqual([
      ["INV-2026-0001", "sent", 7700],
    ]);
  });

  it("refuses any change or deletion of an issued invoice in the database itself", async () => {
    const inv = await api().billing.invoices.create({ jobId: shop.jobId });
    const issued = await api().billing.invoices.issue({ id: inv.id });
    const db = handle.db;
    await expect(sql`update invoice set total_minor = 1 where id = ${inv.id}`.execute(db)).rejects.toThrow(
      /issued and cannot be changed/,
    );
    await expect(
      sql`update invoice set lines = '[]'::jsonb where id = ${inv.id}`.execute(db),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      sql`update invoice set status = 'draft', number = null where id = ${inv.id}`.execute(db),
    ).rejects.toThrow();
    await expect(sql`delete from invoice where id = ${inv.id}`.execute(db)).rejects.toThrow(/kept until/);
    // Delivery facts may change; the record does not.
    await sql`update invoice set viewed_at = now() where id = ${inv.id}`.execute(db);
    const after = await api().billing.invoices.get({ id: inv.id });
    expect(after.totalMinor).toBe(issued.totalMinor);
    expect(after.displayStatus).toBe("viewed");
  });

  it("issues concurrently without gaps or duplicates; a second issue of the same draft loses cleanly", async () => {
    const drafts = [];
    for (let i = 0; i < 6; i++) drafts.push(await api().billing.invoices.create({ jobId: shop.jobId }));
    const before = (await api().billing.invoices.list({ kind: "invoice" })).filter((i) => i.number).length;
    const first = drafts[0]?.id ?? "";
    const results = await Promise.allSettled([
      ...drafts.map((d) => api().billing.invoices.issue({ id: d.id })),
      api().billing.invoices.issue({ id: first }),
    ]);
    const numbers = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.number] : []));
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    const expected = Array.from(
      { length: 6 },
      (_, i) => `INV-2026-${String(before + i + 1).padStart(4, "0")}`,
    );
    expect([...numbers].sort()).toEqual(expected);
  });

  it("voids only an unpaid invoice, with a reason; credit notes get their own numbers and lower the balance", async () => {
    const inv = await api().billing.invoices.issue({
      id: (await api().billing.invoices.create({ jobId: shop.jobId })).id,
    });
    await expect(api().billing.invoices.void({ id: inv.id, reason: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const cn = await api().billing.invoices.creditNote({
      invoiceId: inv.id,
      reason: "One bracket was cracked",
      lines: [{ description: "Bracket", quantity: 1, unitPriceMinor: 1250 }],
    });
    expect(cn).toMatchObject({
      kind: "credit_note",
      number: "CN-2026-0001",
      totalMinor: 1250,
      creditedInvoiceId: inv.id,
    });
    const after = await api().billing.invoices.get({ id: inv.id });
    expect(after.balance).toMatchObject({ creditedMinor: 1250, dueMinor: 8000 - 1250 });
    await expect(
      api().billing.invoices.creditNote({
        invoiceId: inv.id,
        reason: "Too much",
        lines: [{ description: "All", quantity: 1, unitPriceMinor: 7000 }],
      }),
    ).rejects.toThrow(/more than is left/);
    const voided = await api().billing.invoices.void({ id: inv.id, reason: "Wrong customer" });
    expect(voided).toMatchObject({ status: "void", displayStatus: "void", voidReason: "Wrong customer" });
    await expect(api().billing.invoices.void({ id: inv.id, reason: "Again" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("renders a PDF of the stored record", async () => {
    const inv = await api().billing.invoices.issue({
      id: (await api().billing.invoices.create({ jobId: shop.jobId, notes: "Paid by card — merci ∑" })).id,
    });
    const { fileName, base64 } = await api().billing.invoices.pdf({ id: inv.id });
    expect(fileName).toBe(`${inv.number}.pdf`);
    const bytes = Buffer.from(base64, "base64");
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe(`Invoice ${inv.number}`);
    expect(doc.getPageCount()).toBe(1);
  });
});
