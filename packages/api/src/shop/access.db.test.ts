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
import { shopRouter } from "./router.ts";

let handle: DbHandle;
let w: AccessWorld;
const memberUploadId = "upl_accesspreview0001";
/** A plan checkout the victim's owner started (test mode). */
let victimPlanSession = "";
beforeAll(async () => {
  handle = await createTestDb();
  w = await buildAccessWorld(handle);
  victimPlanSession = (
    await w.services.payments.createSubscriptionCheckout({
      organizationId: w.victim.organizationId,
      plan: "pro",
      planName: "Ktizo Pro",
      amountMinor: 2900,
      currency: "usd",
      customerEmail: "victim-owner@example.com",
      successUrl: "http://localhost:3000/org/plan?subscribed=1",
      cancelUrl: "http://localhost:3000/org/plan",
      idempotencyKey: "access-victim-plan",
    })
  ).sessionId;
  // A model the victim's member uploaded for the pricing preview (pricing.slicePreview).
  await handle.db
    .insertInto("modelUpload")
    .values({
      id: memberUploadId,
      userId: w.member.userId,
      uploadSessionId: null,
      storageKey: "uploads/preview.stl",
      fileName: "preview.stl",
      contentType: "model/stl",
      sizeBytes: 684,
      analysis: JSON.stringify({ format: "stl-binary", ...cube, watertight: true, shells: 1 }),
    })
    .execute();
});
afterAll(() => handle.close());

const cube = {
  triangles: 12,
  volumeMm3: 1000,
  areaMm2: 600,
  bbox: { min: { x: 0, y: 0, z: 0 }, max: { x: 10, y: 10, z: 10 }, size: { x: 10, y: 10, z: 10 } },
};
const printerInput = (materialIds: string[]) => ({
  name: "New printer",
  technology: "fdm",
  buildVolumeMm: { x: 200, y: 200, z: 200 },
  hourlyRateMinor: 100,
  materialIds,
});

let smsNumbers = 0;

/** Every procedure of the shop router, with its tier and an input naming the victim's objects. */
const cases: Record<string, AccessCase> = {
  "sms.get": { access: "org:member", input: () => undefined, targetsVictim: false },
  "sms.update": {
    access: "org:admin",
    // A number per call: one number belongs to one shop, and the outsider's own shop takes one too.
    input: () => ({ phone: `+1415555${1000 + smsNumbers++}`, messagingServiceSid: "" }),
    targetsVictim: false,
  },
  "profile.get": { access: "org:member", input: () => undefined, targetsVictim: false },
  "profile.update": { access: "org:admin", input: () => ({ description: "Changed" }), targetsVictim: false },
  "printers.list": { access: "org:member", input: () => ({}), targetsVictim: false },
  "printers.get": { access: "org:member", input: (w) => ({ id: w.victim.printerId }), targetsVictim: true },
  "printers.create": {
    access: "org:admin",
    input: (w) => printerInput([w.victim.plaId]),
    targetsVictim: true,
  },
  "printers.update": {
    access: "org:admin",
    input: (w) => ({ id: w.victim.printerId, status: "offline" }),
    targetsVictim: true,
  },
  "printers.delete": { access: "org:admin", input: (w) => ({ id: w.victim.printerId }), targetsVictim: true },
  "materials.list": { access: "org:member", input: () => ({}), targetsVictim: false },
  "materials.get": { access: "org:member", input: (w) => ({ id: w.victim.plaId }), targetsVictim: true },
  "materials.create": {
    access: "org:admin",
    input: () => ({
      name: "PETG",
      kind: "PETG",
      technology: "fdm",
      densityGramsPerCm3: 1.27,
      costPerKgMinor: 2500,
    }),
    targetsVictim: false,
  },
  "materials.update": {
    access: "org:admin",
    input: (w) => ({ id: w.victim.plaId, costPerKgMinor: 1 }),
    targetsVictim: true,
  },
  "materials.delete": { access: "org:admin", input: (w) => ({ id: w.victim.resinId }), targetsVictim: true },
  "stock.adjust": {
    access: "org:admin",
    input: (w) => ({ materialId: w.victim.plaId, deltaG: -100, reason: "Theft" }),
    targetsVictim: true,
  },
  "stock.movements": {
    access: "org:member",
    input: (w) => ({ materialId: w.victim.plaId }),
    targetsVictim: false,
  },
  "pricing.get": { access: "org:admin", input: () => undefined, targetsVictim: false },
  "pricing.update": {
    access: "org:admin",
    input: (w) => ({ pricing: { materials: { [w.victim.plaId]: { priceMinor: 1 } } } }),
    targetsVictim: true,
  },
  "pricing.preview": {
    access: "org:member",
    input: (w) => ({ analysis: cube, materialId: w.victim.plaId, printerId: w.victim.printerId }),
    targetsVictim: true,
  },
  "pricing.slicePreview": {
    access: "org:member",
    input: (w) => ({ uploadId: memberUploadId, materialId: w.victim.plaId, printerId: w.victim.printerId }),
    targetsVictim: true,
  },
  "printerConnections.list": { access: "org:member", input: () => undefined, targetsVictim: false },
  "printerConnections.set": {
    access: "org:admin",
    input: (w) => ({ printerId: w.victim.printerId, kind: "moonraker", url: "http://192.168.1.50:7125" }),
    targetsVictim: true,
  },
  "printerConnections.remove": {
    access: "org:admin",
    input: (w) => ({ printerId: w.victim.printerId }),
    targetsVictim: true,
  },
  "calibration.get": { access: "org:admin", input: () => undefined, targetsVictim: false },
  "calibration.update": { access: "org:admin", input: () => ({ enabled: true }), targetsVictim: false },
  // In this order: the own-roles pass below subscribes the victim, then acts in its (test) portal.
  "plan.get": { access: "org:member", input: () => undefined, targetsVictim: false },
  "plan.checkout": { access: "org:owner", input: () => ({ plan: "pro" }), targetsVictim: false },
  "plan.testCheckout": {
    access: "org:owner",
    input: () => ({ sessionId: victimPlanSession }),
    targetsVictim: true,
  },
  "plan.completeTestCheckout": {
    access: "org:owner",
    input: () => ({ sessionId: victimPlanSession }),
    targetsVictim: true,
  },
  // The outsider's own shop has no subscription: nothing to open or change.
  "plan.portal": {
    access: "org:owner",
    input: () => undefined,
    targetsVictim: false,
    outsiderOwnShopCode: "CONFLICT",
  },
  "plan.testPortal": {
    access: "org:owner",
    input: () => ({ action: "pay" }),
    targetsVictim: false,
    outsiderOwnShopCode: "CONFLICT",
  },
  "widget.get": { access: "org:member", input: () => undefined, targetsVictim: false },
  "widget.update": {
    access: "org:admin",
    input: (w) => ({ enabled: true, defaultMaterialId: w.victim.plaId }),
    targetsVictim: true,
  },
  "maintenance.list": {
    access: "org:member",
    input: (w) => ({ printerId: w.victim.printerId }),
    targetsVictim: false,
  },
  "maintenance.add": {
    access: "org:admin",
    input: (w) => ({
      printerId: w.victim.printerId,
      // The procedures run on the real clock: a window a day from now.
      startsAt: new Date(Date.now() + 86_400_000),
      endsAt: new Date(Date.now() + 90_000_000),
      reason: "Sneaky",
    }),
    targetsVictim: true,
  },
  "maintenance.remove": { access: "org:admin", input: (w) => ({ id: w.maintenanceId }), targetsVictim: true },
  "notifications.list": { access: "org:member", input: () => ({}), targetsVictim: false },
  "notifications.markRead": {
    access: "org:member",
    input: (w) => ({ ids: [w.notificationId] }),
    targetsVictim: false,
  },
};

describe("shop router access", () => {
  it("has an access case for every procedure, with the declared tier", () => {
    expect(uncoveredProcedures(shopRouter, Object.keys(cases))).toEqual([]);
    const declared = Object.fromEntries(listProcedures(shopRouter).map((p) => [p.path, p.access]));
    expect(declared).toEqual(Object.fromEntries(Object.entries(cases).map(([p, c]) => [p, c.access])));
  });

  for (const [path, c] of Object.entries(cases)) {
    it(`${path}: refuses strangers, other shops and too-low roles with no side effect`, () =>
      expectRefused(w, `shop.${path}`, { ...c, input: c.input(w) }));
  }

  it("lets the victim's own roles through (the inputs above are valid)", async () => {
    for (const [path, c] of Object.entries(cases)) {
      if (path.endsWith(".delete")) continue;
      const actor =
        c.access === "org:member" ? w.member : c.access === "org:owner" ? w.victim.owner : w.admin;
      const result = await callAs(w, actor, `shop.${path}`, c.input(w));
      expect([path, result.code]).toEqual([path, "OK"]);
    }
    expect(T0).toBeInstanceOf(Date);
  });
});
