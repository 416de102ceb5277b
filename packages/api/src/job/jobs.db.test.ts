import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { absoluteLinkMail, createOutboxMail, fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMaterial } from "../shop/materials.ts";
import { updatePrinter } from "../shop/printers.ts";
import { adjustStock } from "../shop/stock.ts";
import { analyze } from "../testing/marketplace-fixtures.ts";
import {
  boxStl,
  memoryStorage,
  type ShopFixture,
  shopFixture,
  sideEffectSnapshot,
  T0,
} from "../testing/shop-fixtures.ts";
import { createJob, createJobFromOrder, createJobInput } from "./create-job.ts";
import {
  createCustomer,
  createCustomerInput,
  deleteCustomer,
  getCustomer,
  listCustomers,
  updateCustomer,
} from "./customers.ts";
import { exportCustomersCsv, exportJobsCsv } from "./export.ts";
import { attachJobFile, deleteJobFile, getJobFileForDownload } from "./files.ts";
import { updateJobItem, updateJobItemInput } from "./item-edits.ts";
import { getJob, updateJob, updateJobInput } from "./job-detail.ts";
import { boardInput, jobBoard, jobFiltersSchema, listJobs, listJobsInput } from "./job-lists.ts";
import { addJobNote, deleteJobNote } from "./notes.ts";
import { boardOutput, jobCardSchema, jobDetailOutput } from "./outputs.ts";
import { findOverdueJobs, notifyOverdueJobs } from "./overdue.ts";
import {
  findScheduleConflicts,
  scheduleJob,
  scheduleTimeline,
  timelineInput,
  unscheduleJob,
} from "./schedule.ts";
import { changeJobStatus, JOB_STATUSES } from "./status.ts";

let handle: DbHandle;
let shop: ShopFixture;
beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Beta Works");
});
afterAll(() => handle.close());

const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
// As the runtime composes it: domain code writes paths, the mail service makes them absolute links.
const mail = () => absoluteLinkMail(createOutboxMail(handle.db), "http://localhost:3000");

async function newJob(overrides: Record<string, unknown> = {}) {
  return createJob(
    handle.db,
    mail(),
    shop.actor,
    createJobInput.parse({
      title: "Bracket set",
      newCustomer: { name: "Walk-in Wanda", email: "wanda@example.test" },
      source: "walk_in",
      status: "approved",
      dueAt: at(72),
      items: [
        {
          description: "Bracket",
          quantity: 4,
          materialId: shop.plaId,
          color: "Black",
          unitPriceMinor: 1250,
          gramsPerUnit: 50,
          minutesPerUnit: 30,
          sizeMm: { x: 40, y: 30, z: 20 },
        },
      ],
      ...overrides,
    }),
    at(0),
  );
}

describe("creating jobs", () => {
  it("numbers jobs per shop, creates the customer, totals the items and notifies the shop", async () => {
    const a = await newJob();
    const b = await newJob({ title: "Second", newCustomer: undefined, customerId: a.customer.id });
    expect(b.number).toBe(a.number + 1);
    expect(a).toMatchObject({
      status: "approved",
      source: "walk_in",
      totalMinor: 5000,
      currency: "USD",
      customer: { name: "Walk-in Wanda" },
      nextStatuses: ["quote", "scheduled", "on_hold", "cancelled"],
      history: [{ fromStatus: null, toStatus: "approved", actorUserId: shop.owner.userId }],
    });
    expect(a.items[0]).toMatchObject({
      materialName: "PLA Basic",
      totalMinor: 5000,
      sizeMm: { x: 40, y: 30, z: 20 },
    });
    const notes = await handle.db
      .selectFrom("notification")
      .select(["title", "link"])
      .where("kind", "=", "job.new")
      .execute();
    expect(notes).toContainEqual({ title: `New job #${a.number}: Bracket set`, link: `/org/jobs/${a.id}` });
    // …and by email to the owners and admins, through the same helper as marketplace jobs.
    const emails = await handle.db
      .selectFrom("outboxMessage")
      .select(["recipient", "subject", "bodyText"])
      .where("organizationId", "=", shop.organizationId)
      .where("template", "=", "shop-job-new")
      .execute();
    expect(emails).toContainEqual({
      recipient: shop.owner.email.toLowerCase(),
      subject: `New walk-in job: job #${a.number}`,
      bodyText: expect.stringContaining('Walk-in Wanda: "Bracket set"'),
    });
    const body = emails.find((e) => e.subject === `New walk-in job: job #${a.number}`)?.bodyText ?? "";
    expect(body).toMatch(new RegExp(`Open it in your workspace: https?://[^/]+/org/jobs/${a.id}$`));
  });

  it("refuses another shop's customer or material and changes nothing", async () => {
    const other = await shopFixture(handle.db, "Other Works");
    const stranger = await createCustomer(
      handle.db,
      other.actor,
      createCustomerInput.parse({ name: "Someone Else" }),
      at(0),
    );
    const snap = await sideEffectSnapshot(handle.db);
    await expect(
      createJob(
        handle.db,
        mail(),
        shop.actor,
        createJobInput.parse({ title: "X", customerId: stranger.id }),
        at(0),
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      newJob({ items: [{ description: "P", quantity: 1, unitPriceMinor: 1, materialId: other.plaId }] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await sideEffectSnapshot(handle.db)).toEqual(snap);
  });

  it("creates a job from a marketplace order once, and emails the shop", async () => {
    const order = {
      organizationId: shop.organizationId,
      orderId: "ord_123",
      customer: { userId: null, name: "Mark Place", email: "Mark@Example.test" },
      title: "Order ord_123",
      currency: "USD",
      items: [
        { description: "Vase", quantity: 1, materialId: shop.plaId, unitPriceMinor: 3000, gramsPerUnit: 80 },
      ],
    };
    const first = await createJobFromOrder(handle.db, mail(), order, at(1));
    const again = await createJobFromOrder(handle.db, mail(), order, at(2));
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({
      status: "approved",
      source: "marketplace",
      orderId: "ord_123",
      totalMinor: 3000,
    });
    expect(first.customer.email).toBe("mark@example.test");
    const emails = await handle.db
      .selectFrom("outboxMessage")
      .select(["recipient", "subject"])
      .where("template", "=", "shop-job-new")
      .where("subject", "like", "New marketplace order%")
      .execute();
    // Once, although the order was handed over twice.
    expect(emails).toEqual([
      { recipient: shop.owner.email.toLowerCase(), subject: `New marketplace order: job #${first.number}` },
    ]);
  });
});

describe("status workflow and stock", () => {
  it("reserves on scheduling, consumes when printed, and records who changed what", async () => {
    const db = handle.db;
    const job = await newJob();
    const before = await getMaterial(db, shop.organizationId, shop.plaId);
    const scheduled = await scheduleJob(
      db,
      mail(),
      shop.actor,
      { jobId: job.id, printerId: shop.printerId, startAt: at(1) },
      at(0.5),
    );
    expect(scheduled).toMatchObject({ durationMinutes: 120, endAt: at(3) });
    expect((await getMaterial(db, shop.organizationId, shop.plaId)).reservedG).toBe(before.reservedG + 200);
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "printing" }, at(1));
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "ready" }, at(3));
    const after = await getMaterial(db, shop.organizationId, shop.plaId);
    expect(after.onHandG).toBe(before.onHandG - 200);
    expect(after.reservedG).toBe(before.reservedG);
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "picked_up" }, at(4));
    await changeJobStatus(
      db,
      mail(),
      shop.actor,
      { jobId: job.id, to: "completed", note: "Paid cash" },
      at(5),
    );
    const done = await getJob(db, shop.organizationId, job.id, new Date());
    expect(done.history.map((h) => h.toStatus)).toEqual([
      "approved",
      "scheduled",
      "printing",
      "ready",
      "picked_up",
      "completed",
    ]);
    expect(done.history.at(-1)).toMatchObject({ actorUserId: shop.owner.userId, note: "Paid cash" });
    expect(done.stockState).toBe("consumed");
    const audit = await db
      .selectFrom("auditLog")
      .select("data")
      .where("subjectId", "=", job.id)
      .where("action", "=", "job.status_changed")
      .execute();
    expect(audit).toHaveLength(5);
    const ledger = await db
      .selectFrom("stockMovement")
      .select("kind")
      .where("jobId", "=", job.id)
      .orderBy("createdAt")
      .execute();
    expect(ledger.map((l) => l.kind)).toEqual(["reserve", "consume"]);
  });

  it("refuses transitions the workflow does not allow, changing nothing", async () => {
    const job = await newJob({ status: "quote" });
    const snap = await sideEffectSnapshot(handle.db);
    await expect(
      changeJobStatus(handle.db, mail(), shop.actor, { jobId: job.id, to: "printing" }, at(1)),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      scheduleJob(
        handle.db,
        mail(),
        shop.actor,
        { jobId: job.id, printerId: shop.printerId, startAt: at(1) },
        at(1),
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Approve the quote before scheduling the job" });
    expect(await sideEffectSnapshot(handle.db)).toEqual(snap);
  });

  it("holds and resumes, and releases the reservation when cancelled", async () => {
    const db = handle.db;
    const job = await newJob();
    const before = await getMaterial(db, shop.organizationId, shop.plaId);
    await scheduleJob(
      db,
      mail(),
      shop.actor,
      { jobId: job.id, printerId: shop.printerId, startAt: at(10) },
      at(0),
    );
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "on_hold" }, at(1));
    const held = await getJob(db, shop.organizationId, job.id, new Date());
    expect(held.nextStatuses).toEqual(["scheduled", "cancelled"]);
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "scheduled" }, at(2));
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "cancelled" }, at(3));
    const after = await getMaterial(db, shop.organizationId, shop.plaId);
    expect(after.reservedG).toBe(before.reservedG);
    expect((await getJob(db, shop.organizationId, job.id, new Date())).scheduledStartAt).toBeNull();
  });

  it("will not consume more than is on hand: the change is refused whole", async () => {
    const db = handle.db;
    const job = await newJob({
      items: [
        {
          description: "Huge",
          quantity: 1,
          materialId: shop.resinId,
          unitPriceMinor: 100,
          gramsPerUnit: 100_000,
        },
      ],
    });
    await scheduleJob(
      db,
      mail(),
      shop.actor,
      { jobId: job.id, printerId: shop.resinPrinterId, startAt: at(100) },
      at(0),
    );
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "printing" }, at(100));
    const snap = await sideEffectSnapshot(db);
    await expect(
      changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "ready" }, at(101)),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    expect((await getJob(db, shop.organizationId, job.id, new Date())).status).toBe("printing");
    await changeJobStatus(db, mail(), shop.actor, { jobId: job.id, to: "cancelled" }, at(101));
  });
});

describe("schedule", () => {
  it("flags overlap, maintenance, size, stock and unsupported material", async () => {
    const db = handle.db;
    const a = await newJob();
    await scheduleJob(
      db,
      mail(),
      shop.actor,
      { jobId: a.id, printerId: shop.printerId, startAt: at(200) },
      at(0),
    );
    const b = await newJob({
      items: [
        {
          description: "Too big",
          quantity: 1,
          materialId: shop.plaId,
          unitPriceMinor: 1,
          sizeMm: { x: 300, y: 300, z: 10 },
        },
        {
          description: "Resin part",
          quantity: 1,
          materialId: shop.resinId,
          unitPriceMinor: 1,
          gramsPerUnit: 9999,
        },
      ],
    });
    await updatePrinter(db, shop.actor, { id: shop.printerId, status: "maintenance" }, at(0));
    const conflicts = await findScheduleConflicts(db, shop.organizationId, {
      jobId: b.id,
      printerId: shop.printerId,
      startAt: at(201),
      endAt: at(202),
    });
    expect(conflicts.map((c) => c.kind).sort()).toEqual(
      [
        "does_not_fit",
        "material_not_supported",
        "out_of_stock",
        "overlap",
        "past_due",
        "printer_maintenance",
      ].sort(),
    );
    const result = await scheduleJob(
      db,
      mail(),
      shop.actor,
      { jobId: b.id, printerId: shop.printerId, startAt: at(201), durationMinutes: 60 },
      at(0),
    );
    expect(result.conflicts.length).toBe(6);
    await updatePrinter(db, shop.actor, { id: shop.printerId, status: "available" }, at(0));
    const timeline = await scheduleTimeline(
      db,
      shop.organizationId,
      timelineInput.parse({ from: at(199), to: at(210) }),
    );
    const lane = timeline.lanes.find((l) => l.printer.id === shop.printerId);
    expect(lane?.entries.map((e) => e.jobId)).toEqual([a.id, b.id]);
    expect(lane?.entries[0]?.conflicts.map((c) => c.kind)).toEqual(["overlap", "past_due"]);
    await unscheduleJob(db, shop.actor, b.id, at(0));
    const unscheduled = await getJob(db, shop.organizationId, b.id, new Date());
    expect(unscheduled).toMatchObject({
      status: "approved",
      scheduledStartAt: null,
      stockState: "none",
      printer: null,
    });
  });
});

describe("lists, board, customers and CSV", () => {
  it("filters, searches, sorts and paginates jobs", async () => {
    const db = handle.db;
    const urgent = await newJob({
      title: "Urgent gears",
      priority: "urgent",
      newCustomer: { name: "Gina Gear" },
    });
    const page = await listJobs(db, shop.organizationId, listJobsInput.parse({ search: "gears" }), at(0));
    expect(page.items.map((j) => j.id)).toEqual([urgent.id]);
    const byNumber = await listJobs(
      db,
      shop.organizationId,
      listJobsInput.parse({ search: `#${urgent.number}` }),
      at(0),
    );
    expect(byNumber.items.map((j) => j.id)).toEqual([urgent.id]);
    const byPriority = await listJobs(
      db,
      shop.organizationId,
      listJobsInput.parse({ sort: "priority", pageSize: 1 }),
      at(0),
    );
    expect(byPriority.items[0]?.priority).toBe("urgent");
    expect(byPriority.pageCount).toBe(byPriority.total);
    const cancelled = await listJobs(
      db,
      shop.organizationId,
      listJobsInput.parse({ status: ["cancelled"] }),
      at(0),
    );
    expect(cancelled.items.every((j) => j.status === "cancelled")).toBe(true);
    const overdue = await listJobs(
      db,
      shop.organizationId,
      listJobsInput.parse({ overdueOnly: true }),
      at(100),
    );
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((j) => j.overdue)).toBe(true);
  });

  it("shows a kanban board in workflow order", async () => {
    const board = await jobBoard(handle.db, shop.organizationId, boardInput.parse({}), at(0));
    expect(board.map((c) => c.status)).toEqual([
      "quote",
      "approved",
      "scheduled",
      "printing",
      "post_processing",
      "ready",
      "shipped",
      "picked_up",
      "completed",
      "on_hold",
      "cancelled",
    ]);
    const approved = board.find((c) => c.status === "approved");
    expect(approved?.count).toBe(approved?.jobs.length);
    expect(approved?.jobs[0]?.priority).toBe("urgent");
  });

  it("gives every card the moves the server accepts, and the server refuses the rest", async () => {
    const db = handle.db;
    const unslotted = await newJob({ title: "Card moves A" });
    const slotted = await newJob({ title: "Card moves B" });
    await scheduleJob(
      db,
      mail(),
      shop.actor,
      { jobId: slotted.id, printerId: shop.printerId, startAt: at(40) },
      at(0),
    );
    const cardOf = async (id: string) => {
      const board = await jobBoard(db, shop.organizationId, boardInput.parse({}), at(0));
      const card = board.flatMap((c) => c.jobs).find((j) => j.id === id);
      if (!card) throw new Error(`card ${id} missing`);
      return card;
    };
    // Approved without a printer and time: "scheduled" is not a plain move (the schedule sets it).
    const a = await cardOf(unslotted.id);
    expect(a.nextStatuses).toEqual(["quote", "on_hold", "cancelled"]);
    const snap = await sideEffectSnapshot(db);
    for (const to of JOB_STATUSES.filter((s) => s !== "approved" && !a.nextStatuses.includes(s))) {
      await expect(
        changeJobStatus(db, mail(), shop.actor, { jobId: unslotted.id, to }, at(1)),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    expect((await cardOf(slotted.id)).nextStatuses).toEqual(["approved", "printing", "on_hold", "cancelled"]);
    await changeJobStatus(db, mail(), shop.actor, { jobId: unslotted.id, to: "on_hold" }, at(1));
    expect((await cardOf(unslotted.id)).nextStatuses).toEqual(["approved", "cancelled"]);
    const listed = await listJobs(
      db,
      shop.organizationId,
      listJobsInput.parse({ search: "Card moves B" }),
      at(0),
    );
    expect(listed.items[0]?.nextStatuses).toEqual(["approved", "printing", "on_hold", "cancelled"]);
    // The router validates what it answers: real cards pass, a card with a made-up status does not.
    const board = await jobBoard(db, shop.organizationId, boardInput.parse({}), at(0));
    expect(boardOutput.parse(board)).toEqual(board);
    const card = board.flatMap((c) => c.jobs)[0];
    expect(() => jobCardSchema.parse({ ...card, nextStatuses: ["teleported"] })).toThrow();
    expect(() => jobCardSchema.parse({ ...card, secret: "x" })).toThrow();
  });

  it("keeps customers with history and searches them", async () => {
    const db = handle.db;
    const page = await listCustomers(db, shop.organizationId, {
      search: "wanda",
      sort: "name",
      page: 1,
      pageSize: 10,
    });
    expect(page.items).toHaveLength(page.total);
    const wanda = page.items[0];
    if (!wanda) throw new Error("expected Wanda");
    const detail = await getCustomer(db, shop.organizationId, wanda.id);
    expect(detail.jobs.length).toBeGreaterThan(0);
    const snap = await sideEffectSnapshot(db);
    await expect(deleteCustomer(db, shop.actor, wanda.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Walk-in Wanda has ${detail.jobCount} job(s) and is kept for the record`,
    });
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    // A customer on their own: created, edited and deleted, each with an audit row.
    const lonely = await createCustomer(
      db,
      shop.actor,
      createCustomerInput.parse({ name: "No Jobs" }),
      at(0),
    );
    await updateCustomer(db, shop.actor, { id: lonely.id, phone: "+1 555 0100" }, at(0));
    expect((await getCustomer(db, shop.organizationId, lonely.id)).phone).toBe("+1 555 0100");
    await deleteCustomer(db, shop.actor, lonely.id);
    await expect(getCustomer(db, shop.organizationId, lonely.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const audit = await db
      .selectFrom("auditLog")
      .select("action")
      .where("subjectId", "=", lonely.id)
      .orderBy("createdAt")
      .orderBy("action")
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      "customer.created",
      "customer.deleted",
      "customer.updated",
    ]);
  });

  it("exports jobs and customers as escaped CSV", async () => {
    const db = handle.db;
    await createCustomer(
      db,
      shop.actor,
      createCustomerInput.parse({
        name: '=HYPERLINK("x")',
        company: "Acme, Inc.",
        notes: 'line1\nsaid "hi"',
      }),
      at(0),
    );
    const customers = await exportCustomersCsv(db, shop.organizationId, {}, at(0));
    expect(customers.csv).toContain(`"'=HYPERLINK(""x"")","Acme, Inc."`);
    expect(customers.csv).toContain('"line1\nsaid ""hi"""');
    const jobs = await exportJobsCsv(db, shop.organizationId, jobFiltersSchema.parse({}), at(0));
    expect(jobs.csv.split("\r\n")[0]).toMatch(/^Number,Title,Customer,Status/);
    expect(jobs.rows).toBeGreaterThan(3);
    expect(jobs.csv).toContain(",50.00,USD,");
  });
});

describe("editing line items", () => {
  it("edits quantity, material, color, price and the model, with an audit row of each change", async () => {
    const db = handle.db;
    const storage = memoryStorage();
    const job = await newJob({ title: "Editable" });
    const itemId = job.items[0]?.id ?? "";
    const model = await attachJobFile(
      db,
      { storage, analyze },
      {
        organizationId: shop.organizationId,
        jobId: job.id,
        actorUserId: shop.owner.userId,
        fileName: "bracket-v2.stl",
        contentType: "model/stl",
        bytes: boxStl(25, 15, 8),
        kind: "model",
      },
      new Date(),
    );
    const items = await updateJobItem(
      db,
      shop.actor,
      updateJobItemInput.parse({
        itemId,
        quantity: 6,
        materialId: shop.resinId,
        color: "Grey",
        unitPriceMinor: 900,
        fileId: model.id,
      }),
      at(1),
    );
    expect(items[0]).toMatchObject({
      id: itemId,
      quantity: 6,
      materialName: "Standard Resin",
      color: "Grey",
      unitPriceMinor: 900,
      totalMinor: 5400,
      fileName: "bracket-v2.stl",
      sizeMm: { x: 25, y: 15, z: 8 },
    });
    const detail = await getJob(db, shop.organizationId, job.id, new Date());
    expect(detail.totalMinor).toBe(5400);
    // The job page's answer passes the router's strict output schema (items, files with analysis, history).
    expect(jobDetailOutput.parse(detail)).toEqual(detail);
    const audit = await db
      .selectFrom("auditLog")
      .select(["actorUserId", "data"])
      .where("subjectId", "=", job.id)
      .where("action", "=", "job.item_updated")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actorUserId: shop.owner.userId,
      data: {
        itemId,
        totalMinor: 5400,
        changes: {
          quantity: { from: 4, to: 6 },
          materialId: { from: shop.plaId, to: shop.resinId },
          color: { from: "Black", to: "Grey" },
          unitPriceMinor: { from: 1250, to: 900 },
          fileId: { from: null, to: model.id },
        },
      },
    });
  });

  it("refuses bad edits whole: another shop's material, a non-model file, a scheduled job, a paid price", async () => {
    const db = handle.db;
    const storage = memoryStorage();
    const other = await shopFixture(db, "Item Edit Other");
    const job = await newJob({ title: "Refusals" });
    const itemId = job.items[0]?.id ?? "";
    const proof = await attachJobFile(
      db,
      { storage, analyze },
      {
        organizationId: shop.organizationId,
        jobId: job.id,
        actorUserId: shop.owner.userId,
        fileName: "proof.pdf",
        contentType: "application/pdf",
        bytes: new TextEncoder().encode("%PDF-1.4 proof"),
        kind: "proof",
      },
      new Date(),
    );
    const snap = await sideEffectSnapshot(db);
    const edit = (input: Record<string, unknown>) =>
      updateJobItem(db, shop.actor, updateJobItemInput.parse({ itemId, ...input }), at(1));
    await expect(edit({ quantity: 2, materialId: other.plaId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(edit({ fileId: proof.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Only a model file can be a line item's model",
    });
    await expect(
      updateJobItem(db, other.actor, updateJobItemInput.parse({ itemId, quantity: 9 }), at(1)),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(() => updateJobItemInput.parse({ itemId })).toThrow("Change at least one field");
    expect(() => updateJobItemInput.parse({ itemId, quantity: 0 })).toThrow("Quantity is at least 1");
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    expect((await getJob(db, shop.organizationId, job.id, new Date())).items).toEqual(job.items);
    await scheduleJob(
      db,
      mail(),
      shop.actor,
      { jobId: job.id, printerId: shop.printerId, startAt: at(60) },
      at(0),
    );
    const scheduled = await sideEffectSnapshot(db);
    await expect(edit({ quantity: 2 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Line items can only change while the job is a quote or approved",
    });
    expect(await sideEffectSnapshot(db)).toEqual(scheduled);
    expect((await getJob(db, shop.organizationId, job.id, new Date())).items).toEqual(job.items);
    const paid = await createJobFromOrder(
      db,
      mail(),
      {
        organizationId: shop.organizationId,
        orderId: "ord_item_edit",
        customer: { name: "Paying Pat", email: "pat@example.test" },
        title: "Paid parts",
        items: [{ description: "Part", quantity: 1, unitPriceMinor: 2000 }],
        currency: "USD",
      },
      at(0),
    );
    const paidItem = paid.items[0]?.id ?? "";
    await expect(
      updateJobItem(db, shop.actor, updateJobItemInput.parse({ itemId: paidItem, unitPriceMinor: 1 }), at(1)),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A marketplace job keeps the price the customer paid",
    });
    const colored = await updateJobItem(
      db,
      shop.actor,
      updateJobItemInput.parse({ itemId: paidItem, color: "Red" }),
      at(1),
    );
    expect(colored[0]).toMatchObject({ color: "Red", unitPriceMinor: 2000 });
  });
});

describe("notes, files and overdue", () => {
  it("adds notes; only the author or an admin deletes one", async () => {
    const job = await newJob();
    const note = await addJobNote(handle.db, shop.actor, { jobId: job.id, body: "Use brim" }, at(1));
    const detail = await getJob(handle.db, shop.organizationId, job.id, new Date());
    expect(detail.notes).toEqual([
      expect.objectContaining({ body: "Use brim", authorUserId: shop.owner.userId }),
    ]);
    await expect(
      deleteJobNote(
        handle.db,
        { organizationId: shop.organizationId, userId: "someone-else", role: "member" },
        note.id,
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await deleteJobNote(handle.db, { ...shop.actor, role: "owner" }, note.id);
  });

  it("attaches a model with its analysis, refuses mislabelled files, and deletes", async () => {
    const db = handle.db;
    const storage = memoryStorage();
    const job = await newJob();
    const file = await attachJobFile(
      db,
      { storage, analyze },
      {
        organizationId: shop.organizationId,
        jobId: job.id,
        actorUserId: shop.owner.userId,
        fileName: "bracket.STL",
        contentType: "application/octet-stream",
        bytes: boxStl(20, 10, 5),
        kind: "model",
      },
      new Date(),
    );
    expect(file).toMatchObject({ kind: "model", contentType: "model/stl", fileName: "bracket.STL" });
    expect(file.analysis).toMatchObject({ triangles: 12 });
    expect(Math.round(Number(file.analysis?.volumeMm3))).toBe(1000);
    const snap = await sideEffectSnapshot(db);
    await expect(
      attachJobFile(
        db,
        { storage, analyze },
        {
          organizationId: shop.organizationId,
          jobId: job.id,
          actorUserId: shop.owner.userId,
          fileName: "photo.png",
          contentType: "image/png",
          bytes: new TextEncoder().encode("<script>"),
          kind: "photo",
        },
        new Date(),
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    expect(storage.files.size).toBe(1);
    const download = await getJobFileForDownload(db, shop.actor, job.id, file.id);
    expect(storage.files.has(download.storageKey)).toBe(true);
    // Only through its own job: the same file under another job id is not found.
    await expect(getJobFileForDownload(db, shop.actor, "job_other", file.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await deleteJobFile(db, storage, shop.actor, file.id);
    expect(storage.files.size).toBe(0);
  });

  it("finds overdue jobs and notifies each once", async () => {
    const db = handle.db;
    const clock = fixedClock(at(24 * 30));
    const overdue = await findOverdueJobs(db, clock);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((j) => j.dueAt < clock.now())).toBe(true);
    const first = await notifyOverdueJobs(db, mail(), clock);
    expect(first.notified).toBe(overdue.length);
    expect((await notifyOverdueJobs(db, mail(), clock)).notified).toBe(0);
    // In the app (linking to the job page) and by email to the owner, once per job.
    const mine = overdue.filter((j) => j.organizationId === shop.organizationId);
    expect(mine.length).toBeGreaterThan(0);
    const inApp = await db
      .selectFrom("notification")
      .select(["link"])
      .where("organizationId", "=", shop.organizationId)
      .where("kind", "=", "job.overdue")
      .execute();
    expect(inApp.map((n) => n.link).sort()).toEqual(mine.map((j) => `/org/jobs/${j.id}`).sort());
    const emails = await db
      .selectFrom("outboxMessage")
      .select(["recipient", "subject"])
      .where("organizationId", "=", shop.organizationId)
      .where("template", "=", "shop-job-overdue")
      .execute();
    expect(emails).toHaveLength(mine.length);
    const bodies = await db
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("organizationId", "=", shop.organizationId)
      .where("template", "=", "shop-job-overdue")
      .execute();
    for (const job of mine) {
      expect(bodies.some((b) => b.bodyText.endsWith(`/org/jobs/${job.id}`))).toBe(true);
    }
    expect(new Set(emails.map((e) => e.recipient))).toEqual(new Set([shop.owner.email.toLowerCase()]));
    const job = overdue[0];
    if (!job) throw new Error("expected an overdue job");
    await updateJob(db, shop.actor, updateJobInput.parse({ id: job.id, dueAt: at(24 * 29) }), clock.now());
    expect((await notifyOverdueJobs(db, mail(), clock)).notified).toBe(1);
  });

  it("records a stock adjustment while jobs hold reservations", async () => {
    const m = await adjustStock(
      handle.db,
      mail(),
      shop.actor,
      { materialId: shop.plaId, deltaG: 100, reason: "Found a spool" },
      at(0),
    );
    expect(m.availableG).toBe(m.onHandG - m.reservedG);
  });
});
