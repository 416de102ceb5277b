import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccessCase,
  type AccessWorld,
  buildAccessWorld,
  callAs,
  expectRefused,
} from "../testing/access-world.ts";
import { listProcedures, uncoveredProcedures } from "../testing/index.ts";
import { T0 } from "../testing/shop-fixtures.ts";
import { jobRouter } from "./router.ts";

let handle: DbHandle;
let w: AccessWorld;
let templateId: string;
let proofId: string;
beforeAll(async () => {
  handle = await createTestDb();
  w = await buildAccessWorld(handle);
  // The victim's conversation: a template, the shop's SMS number, a customer who agreed to texts and a
  // proof waiting for approval, so each conversation procedure has the victim's objects to aim at.
  templateId = "tpl_victim";
  await handle.db
    .insertInto("messageTemplate")
    .values({
      id: templateId,
      organizationId: w.victim.organizationId,
      name: "Victim template",
      body: "Hello {customer_name}",
      createdAt: T0,
      updatedAt: T0,
    })
    .execute();
  await handle.db
    .insertInto("shopSmsSettings")
    .values({ organizationId: w.victim.organizationId, phoneE164: "+14155550100", updatedAt: T0 })
    .execute();
  await handle.db
    .updateTable("customer")
    .set({ phone: "+447911123456", phoneE164: "+447911123456", smsConsentAt: T0, smsConsentSource: "staff" })
    .where("id", "=", w.customerId)
    .execute();
  proofId = "prf_victim";
  await handle.db
    .insertInto("proof")
    .values({
      id: proofId,
      organizationId: w.victim.organizationId,
      jobId: w.jobId,
      jobFileId: w.fileId,
      version: 1,
      createdAt: T0,
    })
    .execute();
});
afterAll(() => handle.close());

const later = new Date(T0.getTime() + 86_400_000);

/** Every procedure of the job router, with its tier and an input naming the victim's objects. */
const cases: Record<string, AccessCase> = {
  list: { access: "org:member", input: (w) => ({ customerId: w.customerId }), targetsVictim: false },
  board: { access: "org:member", input: () => ({}), targetsVictim: false },
  overview: { access: "org:member", input: () => undefined, targetsVictim: false },
  get: { access: "org:member", input: (w) => ({ id: w.jobId }), targetsVictim: true },
  create: {
    access: "org:member",
    input: (w) => ({ title: "Sneaky", customerId: w.customerId }),
    targetsVictim: true,
  },
  update: { access: "org:member", input: (w) => ({ id: w.jobId, title: "Renamed" }), targetsVictim: true },
  // Before changeStatus below: line items change while the job is still approved.
  "items.update": {
    access: "org:member",
    input: (w) => ({ itemId: w.itemId, quantity: 7, unitPriceMinor: 1 }),
    targetsVictim: true,
  },
  changeStatus: {
    access: "org:member",
    input: (w) => ({ jobId: w.jobId, to: "on_hold" }),
    targetsVictim: true,
  },
  exportCsv: { access: "org:member", input: () => ({}), targetsVictim: false },
  "customers.list": { access: "org:member", input: () => ({ search: "Victim" }), targetsVictim: false },
  "customers.get": { access: "org:member", input: (w) => ({ id: w.customerId }), targetsVictim: true },
  "customers.create": { access: "org:member", input: () => ({ name: "New Customer" }), targetsVictim: false },
  "customers.update": {
    access: "org:member",
    input: (w) => ({ id: w.customerId, name: "Renamed" }),
    targetsVictim: true,
  },
  "customers.delete": { access: "org:member", input: (w) => ({ id: w.customerId }), targetsVictim: true },
  "customers.exportCsv": { access: "org:member", input: () => ({}), targetsVictim: false },
  "conversation.timeline": {
    access: "org:member",
    input: (w) => ({ jobId: w.jobId }),
    targetsVictim: true,
  },
  "conversation.preview": {
    access: "org:member",
    input: (w) => ({ customerId: w.customerId, channel: "sms", templateId }),
    targetsVictim: true,
  },
  "conversation.send": {
    access: "org:member",
    input: (w) => ({ jobId: w.jobId, channel: "sms", body: "Your job {job_number} is ready" }),
    targetsVictim: true,
  },
  "conversation.textProof": { access: "org:member", input: () => ({ proofId }), targetsVictim: true },
  "templates.list": { access: "org:member", input: () => undefined, targetsVictim: false },
  "templates.create": {
    access: "org:admin",
    input: () => ({ name: "Pickup", body: "Ready at {pickup_address}" }),
    targetsVictim: false,
  },
  "templates.update": {
    access: "org:admin",
    input: () => ({ id: templateId, name: "Renamed", body: "Hi {customer_name}" }),
    targetsVictim: true,
  },
  "templates.delete": { access: "org:admin", input: () => ({ id: templateId }), targetsVictim: true },
  "notes.add": { access: "org:member", input: (w) => ({ jobId: w.jobId, body: "Hi" }), targetsVictim: true },
  "notes.delete": { access: "org:member", input: (w) => ({ id: w.noteId }), targetsVictim: true },
  "files.list": { access: "org:member", input: (w) => ({ jobId: w.jobId }), targetsVictim: true },
  "files.delete": { access: "org:member", input: (w) => ({ id: w.fileId }), targetsVictim: true },
  "files.share": {
    access: "org:member",
    input: (w) => ({ id: w.fileId, shared: true }),
    targetsVictim: true,
  },
  "schedule.timeline": {
    access: "org:member",
    input: () => ({ from: T0, to: later }),
    targetsVictim: false,
  },
  "schedule.check": {
    access: "org:member",
    input: (w) => ({ jobId: w.jobId, printerId: w.victim.printerId, startAt: T0 }),
    targetsVictim: true,
  },
  "schedule.set": {
    access: "org:member",
    input: (w) => ({ jobId: w.jobId, printerId: w.victim.printerId, startAt: T0 }),
    targetsVictim: true,
  },
  "schedule.clear": { access: "org:member", input: (w) => ({ jobId: w.jobId }), targetsVictim: true },
  // The shop's own plan: another shop only ever sees its own (its jobs, in the domain test).
  "plan.propose": { access: "org:member", input: () => ({}), targetsVictim: false },
  "plan.offers": { access: "org:member", input: () => undefined, targetsVictim: false },
  "suggestions.forJob": { access: "org:member", input: (w) => ({ jobId: w.jobId }), targetsVictim: true },
  "suggestions.stock": { access: "org:member", input: () => undefined, targetsVictim: false },
  "suggestions.respond": {
    access: "org:member",
    input: (w) => ({ kind: "printer_material", subjectId: w.jobId, outcome: "dismissed" }),
    targetsVictim: true,
  },
  "plan.accept": {
    access: "org:member",
    input: (w) => ({
      assignments: [
        {
          jobId: w.jobId,
          printerId: w.victim.printerId,
          startAt: T0,
          endAt: new Date(T0.getTime() + 3_600_000),
        },
      ],
    }),
    targetsVictim: true,
  },
};

describe("job router access", () => {
  it("has an access case for every procedure, with the declared tier", () => {
    expect(uncoveredProcedures(jobRouter, Object.keys(cases))).toEqual([]);
    const declared = Object.fromEntries(listProcedures(jobRouter).map((p) => [p.path, p.access]));
    expect(declared).toEqual(Object.fromEntries(Object.entries(cases).map(([p, c]) => [p, c.access])));
  });

  for (const [path, c] of Object.entries(cases)) {
    it(`${path}: refuses strangers and other shops with no side effect`, () =>
      expectRefused(w, `job.${path}`, { ...c, input: c.input(w) }));
  }

  it("lets the shop's members through (the inputs above are valid)", async () => {
    for (const [path, c] of Object.entries(cases)) {
      if (path.endsWith(".delete") || path === "schedule.clear") continue;
      // The victim's job has no similar history, so there is nothing to answer: the domain test
      // (suggestions.db.test.ts) lets a member accept and dismiss.
      if (path === "suggestions.respond") continue;
      const result = await callAs(
        w,
        c.access === "org:member" ? w.member : w.admin,
        `job.${path}`,
        c.input(w),
      );
      expect([path, result.code]).toEqual([path, "OK"]);
    }
  });
});
