import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { absoluteLinkMail, createOutboxMail } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJob, createJobInput } from "../job/create-job.ts";
import { scheduleJob } from "../job/schedule.ts";
import { addTestMember, createTestOrganization, createTestUser } from "../testing/index.ts";
import {
  memoryStorage,
  type ShopFixture,
  shopFixture,
  sideEffectSnapshot,
  T0,
} from "../testing/shop-fixtures.ts";
import { deletePrinter } from "../workflows/printer-removal.ts";
import { MAX_LOGO_BYTES, readShopLogo, removeShopLogo, setShopLogo } from "./logo.ts";
import {
  createMaterial,
  createMaterialInput,
  deleteMaterial,
  getMaterial,
  listMaterials,
  listMaterialsInput,
  updateMaterial,
} from "./materials.ts";
import { listNotifications, markNotificationsRead } from "./notifications.ts";
import { materialOutput, materialsOutput } from "./outputs.ts";
import { getShopPricing, quoteForShop, updateShopPricing } from "./pricing.ts";
import { shopPricingRulesSchema } from "./pricing-model.ts";
import { getPrinter, listPrinters, updatePrinter } from "./printers.ts";
import { getShopProfile, updateShopProfile, updateShopProfileInput } from "./profile.ts";
import { getPublicShop, getPublicWidget } from "./public.ts";
import { adjustStock, listStockMovements } from "./stock.ts";
import { updateWidgetSettings, widgetSettingsSchema } from "./widget.ts";

let handle: DbHandle;
let shop: ShopFixture;
beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Alpha Prints");
});
afterAll(() => handle.close());

const cubeAnalysis = (mm: number) => ({
  triangles: 12,
  volumeMm3: mm ** 3,
  areaMm2: 6 * mm ** 2,
  bbox: { min: { x: 0, y: 0, z: 0 }, max: { x: mm, y: mm, z: mm }, size: { x: mm, y: mm, z: mm } },
});

describe("shop profile", () => {
  it("creates settings on first read and updates fields with an audit row", async () => {
    const db = handle.db;
    const before = await getShopProfile(db, shop.organizationId);
    expect(before).toMatchObject({ name: "Alpha Prints", currency: "USD", listed: false, timezone: "UTC" });
    const after = await updateShopProfile(
      db,
      shop.actor,
      updateShopProfileInput.parse({
        slug: "alpha-prints",
        description: "Fast FDM and resin",
        timezone: "Europe/Berlin",
        technologies: ["fdm", "resin", "fdm"],
        standardLeadDays: 5,
        rushLeadDays: 2,
        shippingOptions: [{ name: "Standard", priceMinor: 595, days: 3 }],
        address: { line1: "1 Main St", line2: null, city: "Springfield", postalCode: "12345", region: null },
        listed: true,
      }),
      T0,
    );
    expect(after).toMatchObject({
      slug: "alpha-prints",
      timezone: "Europe/Berlin",
      technologies: ["fdm", "resin"],
      listed: true,
      address: { city: "Springfield" },
      shippingOptions: [{ name: "Standard", priceMinor: 595, days: 3 }],
    });
    const audit = await db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "shop.profile.updated")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("refuses a slug another shop uses, changing nothing", async () => {
    const db = handle.db;
    const other = await createTestUser(db);
    await createTestOrganization(db, other, { slug: "taken-slug" });
    const snap = await sideEffectSnapshot(db);
    await expect(
      updateShopProfile(db, shop.actor, { slug: "taken-slug", name: "Renamed" }, T0),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      fieldErrors: { slug: "That URL name is taken" },
    });
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    expect((await getShopProfile(db, shop.organizationId)).name).toBe("Alpha Prints");
  });
});

describe("shop logo", () => {
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );
  it("stores an uploaded image through the storage service, typed by its content, and replaces it", async () => {
    const db = handle.db;
    const shop = await shopFixture(db, `Logo Shop ${Math.random().toString(36).slice(2, 8)}`);
    const storage = memoryStorage();
    const actor = { organizationId: shop.organizationId, actorUserId: shop.owner.userId };
    const first = await setShopLogo(
      db,
      storage,
      { ...actor, fileName: "logo.jpg", bytes: new Uint8Array(png) },
      T0,
    );
    expect(first.logo).toMatch(/^\/logos\/logo_/);
    expect((await getShopProfile(db, shop.organizationId)).logo).toBe(first.logo);
    const served = await readShopLogo(db, storage, first.logo.split("/").pop() ?? "");
    // Named .jpg, but the bytes are a PNG: the stored type follows the contents.
    expect(served?.contentType).toBe("image/png");
    expect(Buffer.from(served?.bytes ?? []).equals(png)).toBe(true);
    const second = await setShopLogo(db, storage, { ...actor, bytes: new Uint8Array(png) }, T0);
    expect(second.logo).not.toBe(first.logo);
    expect(storage.files.size).toBe(1);
    expect(await readShopLogo(db, storage, first.logo.split("/").pop() ?? "")).toBeNull();
    const audit = await db
      .selectFrom("auditLog")
      .select("action")
      .where("organizationId", "=", shop.organizationId)
      .where("action", "like", "shop.logo%")
      .execute();
    expect(audit).toHaveLength(2);
    await removeShopLogo(db, storage, actor);
    expect((await getShopProfile(db, shop.organizationId)).logo).toBeNull();
    expect(storage.files.size).toBe(0);
  });

  it("refuses what is not a small PNG, JPEG, GIF or WebP, and anyone but an admin, storing nothing", async () => {
    const db = handle.db;
    const shop = await shopFixture(db, `Logo Shop ${Math.random().toString(36).slice(2, 8)}`);
    const storage = memoryStorage();
    const actor = { organizationId: shop.organizationId, actorUserId: shop.owner.userId };
    const member = await addTestMember(db, shop.organizationId, await createTestUser(db), "member");
    const stranger = await createTestUser(db);
    const snap = await sideEffectSnapshot(db);
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    await expect(
      setShopLogo(db, storage, { ...actor, fileName: "logo.png", bytes: svg }, T0),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The logo must be a PNG, JPEG, GIF or WebP image",
    });
    const big = new Uint8Array(MAX_LOGO_BYTES + 1);
    big.set(png);
    await expect(setShopLogo(db, storage, { ...actor, bytes: big }, T0)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The logo is too large (at most 2 MB)",
    });
    await expect(
      setShopLogo(
        db,
        storage,
        { organizationId: shop.organizationId, actorUserId: member.userId, bytes: png },
        T0,
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      setShopLogo(
        db,
        storage,
        { organizationId: shop.organizationId, actorUserId: stranger.userId, bytes: png },
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      removeShopLogo(db, storage, { organizationId: shop.organizationId, actorUserId: member.userId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(storage.files.size).toBe(0);
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    // The old URL field is gone: the profile update ignores a logo.
    expect("logo" in updateShopProfileInput.parse({ logo: "https://evil.example/x.png" })).toBe(false);
  });
});

describe("printers", () => {
  it("lists with filters and updates with an audited rate change", async () => {
    const db = handle.db;
    expect((await listPrinters(db, shop.organizationId, { technology: "resin" })).map((p) => p.name)).toEqual(
      ["Form 3"],
    );
    expect((await listPrinters(db, shop.organizationId, { search: "prusa" })).map((p) => p.id)).toEqual([
      shop.printerId,
    ]);
    expect(
      (await listPrinters(db, shop.organizationId, { materialId: shop.resinId })).map((p) => p.id),
    ).toEqual([shop.resinPrinterId]);
    const updated = await updatePrinter(
      db,
      shop.actor,
      { id: shop.printerId, hourlyRateMinor: 350, status: "maintenance", materialIds: [shop.plaId] },
      T0,
    );
    expect(updated).toMatchObject({ hourlyRateMinor: 350, status: "maintenance", materialIds: [shop.plaId] });
    const audit = await db
      .selectFrom("auditLog")
      .select("data")
      .where("action", "=", "printer.updated")
      .executeTakeFirstOrThrow();
    expect(audit.data).toMatchObject({ changes: { hourlyRateMinor: { from: 300, to: 350 } } });
    await updatePrinter(db, shop.actor, { id: shop.printerId, status: "available" }, T0);
  });

  it("refuses another shop's material and keeps the printer unchanged", async () => {
    const db = handle.db;
    const other = await shopFixture(db, "Other Shop");
    await expect(
      updatePrinter(db, shop.actor, { id: shop.printerId, name: "Hacked", materialIds: [other.plaId] }, T0),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await getPrinter(db, shop.organizationId, shop.printerId)).name).toBe("Prusa MK4 #1");
    await expect(getPrinter(db, shop.organizationId, other.printerId)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      deletePrinter(db, createOutboxMail(db), shop.actor, other.printerId, T0),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("materials and stock", () => {
  it("adjusts stock with a reason, a ledger row and an audit row", async () => {
    const db = handle.db;
    const mail = createOutboxMail(db);
    const later = (min: number) => new Date(T0.getTime() + min * 60_000);
    const m = await adjustStock(
      db,
      mail,
      shop.actor,
      { materialId: shop.plaId, deltaG: 500, reason: "Delivery" },
      later(1),
    );
    expect(m).toMatchObject({ onHandG: 1500, reservedG: 0, availableG: 1500, lowStock: false });
    const counted = await adjustStock(
      db,
      mail,
      shop.actor,
      { materialId: shop.plaId, countedG: 1450, reason: "Monthly count" },
      later(2),
    );
    expect(counted.onHandG).toBe(1450);
    const ledger = await listStockMovements(db, shop.organizationId, {
      materialId: shop.plaId,
      page: 1,
      pageSize: 10,
    });
    expect(ledger.items.map((i) => [i.kind, i.grams, i.onHandAfterG])).toEqual([
      ["adjust", -50, 1450],
      ["adjust", 500, 1500],
      ["adjust", 1000, 1000],
    ]);
    const audit = await db
      .selectFrom("auditLog")
      .select("data")
      .where("action", "=", "stock.adjusted")
      .execute();
    expect(audit.map((a) => a.data)).toEqual([
      expect.objectContaining({ deltaG: 500, reason: "Delivery" }),
      expect.objectContaining({ deltaG: -50, reason: "Monthly count" }),
    ]);
  });

  it("never lets on-hand go negative and changes nothing on failure", async () => {
    const db = handle.db;
    const snap = await sideEffectSnapshot(db);
    await expect(
      adjustStock(
        db,
        createOutboxMail(db),
        shop.actor,
        { materialId: shop.plaId, deltaG: -5000, reason: "Oops" },
        T0,
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await sideEffectSnapshot(db)).toEqual(snap);
  });

  it("raises one low-stock notification and email when crossing the threshold, again after restocking", async () => {
    const db = handle.db;
    // As the runtime composes it: domain code writes paths, the mail service makes them absolute links.
    const mail = absoluteLinkMail(createOutboxMail(db), "http://localhost:3000");
    await adjustStock(
      db,
      mail,
      shop.actor,
      { materialId: shop.resinId, deltaG: -400, reason: "Spilled" },
      T0,
    );
    await adjustStock(
      db,
      mail,
      shop.actor,
      { materialId: shop.resinId, deltaG: -10, reason: "Spilled more" },
      T0,
    );
    const low = await listMaterials(db, shop.organizationId, { lowStockOnly: true });
    expect(low.map((m) => m.id)).toEqual([shop.resinId]);
    const notes = await db.selectFrom("notification").selectAll().where("kind", "=", "stock.low").execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.title).toBe("Low stock: Standard Resin");
    expect(notes[0]?.link).toBe(`/org/materials?history=${shop.resinId}#movements`);
    const emails = await db
      .selectFrom("outboxMessage")
      .selectAll()
      .where("template", "=", "shop-stock-low")
      .execute();
    expect(emails.map((e) => e.recipient)).toEqual([shop.owner.email.toLowerCase()]);
    expect(emails[0]?.bodyText).toMatch(
      /Open it in your workspace: https?:\/\/\S+\/org\/materials\?history=/,
    );
    await adjustStock(
      db,
      mail,
      shop.actor,
      { materialId: shop.resinId, deltaG: 1000, reason: "Delivery" },
      T0,
    );
    await adjustStock(
      db,
      mail,
      shop.actor,
      { materialId: shop.resinId, deltaG: -1000, reason: "Recall" },
      T0,
    );
    expect(
      await db.selectFrom("notification").selectAll().where("kind", "=", "stock.low").execute(),
    ).toHaveLength(2);
  });

  it("updates costs with an audit of the change", async () => {
    const db = handle.db;
    const m = await updateMaterial(
      db,
      shop.actor,
      { id: shop.plaId, costPerKgMinor: 2200, colors: ["Red"] },
      T0,
    );
    expect(m).toMatchObject({ costPerKgMinor: 2200, colors: ["Red"] });
    expect((await getMaterial(db, shop.organizationId, shop.plaId)).printerIds).toEqual([shop.printerId]);
  });
});

describe("removing materials", () => {
  it("deletes a material without history, archives one with history, refuses one reserved by a scheduled job", async () => {
    const db = handle.db;
    const fresh = await createMaterial(
      db,
      shop.actor,
      createMaterialInput.parse({
        name: "Unused TPU",
        kind: "tpu",
        technology: "fdm",
        densityGramsPerCm3: 1.2,
        costPerKgMinor: 3000,
      }),
      T0,
    );
    expect(await deleteMaterial(db, shop.actor, fresh.id, T0)).toEqual({ id: fresh.id, archived: false });
    expect(await db.selectFrom("material").select("id").where("id", "=", fresh.id).execute()).toEqual([]);

    // With stock history: archived, the ledger kept, gone from lists, printers and pickers.
    const used = await createMaterial(
      db,
      shop.actor,
      createMaterialInput.parse({
        name: "Old PETG",
        kind: "petg",
        technology: "fdm",
        densityGramsPerCm3: 1.27,
        costPerKgMinor: 2500,
        initialStockG: 800,
      }),
      T0,
    );
    await updatePrinter(db, shop.actor, { id: shop.printerId, materialIds: [shop.plaId, used.id] }, T0);
    expect(await deleteMaterial(db, shop.actor, used.id, T0)).toEqual({ id: used.id, archived: true });
    expect((await getMaterial(db, shop.organizationId, used.id)).archivedAt).toEqual(T0);
    expect(
      (await listMaterials(db, shop.organizationId, listMaterialsInput.parse({}))).map((m) => m.id),
    ).not.toContain(used.id);
    expect(
      (await listMaterials(db, shop.organizationId, listMaterialsInput.parse({ includeArchived: true }))).map(
        (m) => m.id,
      ),
    ).toContain(used.id);
    expect((await getPrinter(db, shop.organizationId, shop.printerId)).materialIds).toEqual([shop.plaId]);
    // The router's strict output schema accepts real materials (archived too) and refuses extra fields.
    const all = await listMaterials(
      db,
      shop.organizationId,
      listMaterialsInput.parse({ includeArchived: true }),
    );
    expect(materialsOutput.parse(all)).toEqual(all);
    expect(() => materialOutput.parse({ ...all[0], organizationId: "org_x" })).toThrow();
    expect(
      await db.selectFrom("stockMovement").select("grams").where("materialId", "=", used.id).execute(),
    ).toEqual([{ grams: 800 }]);
    const audit = await db
      .selectFrom("auditLog")
      .select(["action", "actorUserId"])
      .where("subjectId", "in", [fresh.id, used.id])
      .where("action", "in", ["material.deleted", "material.archived"])
      .orderBy("action")
      .execute();
    expect(audit).toEqual([
      { action: "material.archived", actorUserId: shop.owner.userId },
      { action: "material.deleted", actorUserId: shop.owner.userId },
    ]);
    await expect(
      createJob(
        db,
        createOutboxMail(db),
        shop.actor,
        createJobInput.parse({
          title: "Needs old PETG",
          newCustomer: { name: "C" },
          items: [{ description: "P", quantity: 1, unitPriceMinor: 1, materialId: used.id }],
        }),
        T0,
      ),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Old PETG is archived: choose another material",
    });
    await expect(deleteMaterial(db, shop.actor, used.id, T0)).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Reserved by a scheduled job: refused, nothing changes.
    const job = await createJob(
      db,
      createOutboxMail(db),
      shop.actor,
      createJobInput.parse({
        title: "Holds PLA",
        newCustomer: { name: "D" },
        status: "approved",
        items: [
          { description: "P", quantity: 1, unitPriceMinor: 1, materialId: shop.plaId, gramsPerUnit: 5 },
        ],
      }),
      T0,
    );
    await scheduleJob(
      db,
      createOutboxMail(db),
      shop.actor,
      { jobId: job.id, printerId: shop.printerId, startAt: new Date(T0.getTime() + 86_400_000) },
      T0,
    );
    const snap = await sideEffectSnapshot(db);
    await expect(deleteMaterial(db, shop.actor, shop.plaId, T0)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "PLA Basic is reserved for scheduled jobs; take them off the schedule first",
    });
    expect(await sideEffectSnapshot(db)).toEqual(snap);
    expect((await getMaterial(db, shop.organizationId, shop.plaId)).archivedAt).toBeNull();
  });
});

describe("pricing", () => {
  it("shows defaults, saves rules with an audit row and previews the customer's breakdown", async () => {
    const db = handle.db;
    expect((await getShopPricing(db, shop.organizationId)).customized).toBe(false);
    const rules = shopPricingRulesSchema.parse({
      setupFeePerOrderMinor: 500,
      markupPercent: 20,
      rushMultiplier: 2,
      quantityTiers: [{ minQuantity: 10, discountPercent: 10 }],
      materials: { [shop.plaId]: { priceMinor: 5 } },
      printers: { [shop.printerId]: { machineHourlyMinor: 400 } },
    });
    const saved = await updateShopPricing(db, shop.actor, rules, T0);
    expect(saved).toMatchObject({ customized: true, currency: "USD" });
    expect(
      await db.selectFrom("auditLog").select("id").where("action", "=", "shop.pricing.updated").execute(),
    ).toHaveLength(1);
    const quote = await quoteForShop(db, shop.organizationId, {
      analysis: cubeAnalysis(20),
      materialId: shop.plaId,
      printerId: shop.printerId,
      quantity: 2,
    });
    const sum = quote.breakdown.lines.reduce((s, l) => s + l.amountMinor, 0);
    expect(quote.breakdown.totalMinor).toBe(sum);
    expect(quote.breakdown.currency).toBe("USD");
    expect(quote.breakdown.lines.map((l) => l.code)).toEqual([
      "material",
      "machine",
      "setup_order",
      "markup",
    ]);
    expect(quote.printability.fits).toBe(true);
    expect(quote.gramsPerUnit).toBeGreaterThan(0);
    const rush = await quoteForShop(db, shop.organizationId, {
      analysis: cubeAnalysis(20),
      materialId: shop.plaId,
      printerId: shop.printerId,
      quantity: 2,
      rush: true,
    });
    expect(rush.breakdown.totalMinor).toBeGreaterThan(quote.breakdown.totalMinor);
    const draft = await quoteForShop(db, shop.organizationId, {
      analysis: cubeAnalysis(400),
      materialId: shop.plaId,
      printerId: shop.printerId,
      pricing: { ...rules, minimumOrderMinor: 100_000 },
    });
    expect(draft.printability.fits).toBe(false);
    expect(draft.warnings.join(" ")).toContain("does not fit");
  });

  it("prices a material on one printer with the pair's override, which wins over the material's", async () => {
    const db = handle.db;
    const base = shopPricingRulesSchema.parse({
      materials: { [shop.plaId]: { priceMinor: 5 } },
      printers: { [shop.printerId]: { machineHourlyMinor: 400 } },
    });
    const line = async (pricing: typeof base, code: string) => {
      const q = await quoteForShop(db, shop.organizationId, {
        analysis: cubeAnalysis(20),
        materialId: shop.plaId,
        printerId: shop.printerId,
        pricing,
      });
      return q.breakdown.lines.find((l) => l.code === code)?.amountMinor ?? 0;
    };
    const withPair = shopPricingRulesSchema.parse({
      ...base,
      pairs: [{ materialId: shop.plaId, printerId: shop.printerId, priceMinor: 10, machineHourlyMinor: 800 }],
    });
    // Twice the material price and twice the machine rate for PLA on this printer.
    expect(await line(withPair, "material")).toBe(2 * (await line(base, "material")));
    expect(await line(withPair, "machine")).toBe(2 * (await line(base, "machine")));
    // A pair for another material leaves PLA alone.
    const otherPair = shopPricingRulesSchema.parse({
      ...base,
      pairs: [{ materialId: shop.resinId, printerId: shop.printerId, priceMinor: 99 }],
    });
    expect(await line(otherPair, "material")).toBe(await line(base, "material"));
    const saved = await updateShopPricing(db, shop.actor, withPair, T0);
    expect(saved.pricing.pairs).toEqual(withPair.pairs);
    expect(() =>
      shopPricingRulesSchema.parse({
        pairs: [
          { materialId: shop.plaId, printerId: shop.printerId, priceMinor: 1 },
          { materialId: shop.plaId, printerId: shop.printerId, priceMinor: 2 },
        ],
      }),
    ).toThrow("Each material and printer pair can be set once");
    const other = await shopFixture(db, "Pair Other");
    const before = await getShopPricing(db, shop.organizationId);
    await expect(
      updateShopPricing(
        db,
        shop.actor,
        shopPricingRulesSchema.parse({
          pairs: [{ materialId: shop.plaId, printerId: other.printerId, priceMinor: 1 }],
        }),
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await getShopPricing(db, shop.organizationId)).toEqual(before);
  });

  it("refuses rules that name another shop's material", async () => {
    const db = handle.db;
    const other = await shopFixture(db, "Gamma");
    const rules = shopPricingRulesSchema.parse({ materials: { [other.plaId]: { priceMinor: 1 } } });
    await expect(updateShopPricing(db, shop.actor, rules, T0)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      quoteForShop(db, shop.organizationId, {
        analysis: cubeAnalysis(10),
        materialId: other.plaId,
        printerId: shop.printerId,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("marketplace view", () => {
  it("shows a listed shop's offer without stock figures", async () => {
    const db = handle.db;
    const shopPage = await getPublicShop(db, "alpha-prints");
    expect(shopPage.materials.map((m) => m.name).sort()).toEqual(["PLA Basic", "Standard Resin"]);
    expect(shopPage.materials[0]).not.toHaveProperty("onHandG");
    expect(shopPage.printers).toHaveLength(2);
    await expect(getPublicShop(db, "taken-slug")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("team and notifications", () => {
  it("marks notifications read", async () => {
    const db = handle.db;
    const actor = { organizationId: shop.organizationId, userId: shop.owner.userId };
    const list = await listNotifications(db, actor, { page: 1, pageSize: 10, unreadOnly: true });
    expect(list.unread).toBeGreaterThan(0);
    const first = list.items[0];
    if (!first) throw new Error("expected a notification");
    expect(await markNotificationsRead(db, actor, { ids: [first.id] }, T0)).toEqual({ updated: 1 });
    await markNotificationsRead(db, actor, { all: true }, T0);
    expect((await listNotifications(db, actor, { page: 1, pageSize: 10, unreadOnly: true })).unread).toBe(0);
  });
});

describe("widget", () => {
  it("is public only when switched on", async () => {
    const db = handle.db;
    await expect(getPublicWidget(db, "alpha-prints", T0)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await updateWidgetSettings(
      db,
      shop.actor,
      widgetSettingsSchema.parse({
        enabled: true,
        allowedOrigins: ["https://alpha.example"],
        defaultMaterialId: shop.plaId,
      }),
      T0,
    );
    expect(await getPublicWidget(db, "alpha-prints", T0)).toMatchObject({
      enabled: true,
      allowedOrigins: ["https://alpha.example"],
      organizationId: shop.organizationId,
    });
    expect(() => widgetSettingsSchema.parse({ allowedOrigins: ["https://a.example/path"] })).toThrow(
      "Use an origin like https://myshop.com (no path)",
    );
  });
});
