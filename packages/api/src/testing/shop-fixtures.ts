import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "@ktizo/db";
import { fixedClock } from "@ktizo/services";
import type { MemberActor } from "../kernel/index.ts";
import { createMaterial, createMaterialInput } from "../shop/materials.ts";
import { createPrinter, createPrinterInput } from "../shop/printers.ts";
import { createTestOrganization, createTestUser, type TestActor } from "./index.ts";

/** Test helpers for the shop and job folders (not used by production code). */
export const T0 = new Date("2026-03-02T08:00:00Z");

export function testClock() {
  return fixedClock(T0);
}

export interface ShopFixture {
  organizationId: string;
  owner: TestActor;
  actor: MemberActor;
  printerId: string;
  resinPrinterId: string;
  plaId: string;
  resinId: string;
}

/** A shop with an FDM printer (PLA), a resin printer (resin) and stock of both. */
export async function shopFixture(db: Database, name = "Fixture Shop"): Promise<ShopFixture> {
  const owner = await createTestUser(db, { name: `${name} Owner` });
  const { organizationId, owner: activeOwner } = await createTestOrganization(db, owner, { name });
  const actor = { organizationId, userId: owner.userId };
  const pla = await createMaterial(
    db,
    actor,
    createMaterialInput.parse({
      name: "PLA Basic",
      kind: "PLA",
      technology: "fdm",
      colors: ["Black", "White"],
      finishes: ["Standard"],
      densityGramsPerCm3: 1.24,
      costPerKgMinor: 2000,
      reorderThresholdG: 200,
      initialStockG: 1000,
    }),
    T0,
  );
  const resin = await createMaterial(
    db,
    actor,
    createMaterialInput.parse({
      name: "Standard Resin",
      kind: "resin",
      technology: "resin",
      colors: ["Grey"],
      finishes: [],
      densityGramsPerCm3: 1.15,
      costPerKgMinor: 4000,
      reorderThresholdG: 100,
      initialStockG: 500,
    }),
    T0,
  );
  const printer = await createPrinter(
    db,
    actor,
    createPrinterInput.parse({
      name: "Prusa MK4 #1",
      make: "Prusa",
      model: "MK4",
      technology: "fdm",
      buildVolumeMm: { x: 250, y: 210, z: 220 },
      layerHeightsMm: [0.2, 0.1],
      nozzleMm: 0.4,
      hourlyRateMinor: 300,
      status: "available",
      notes: "",
      materialIds: [pla.id],
    }),
  );
  const resinPrinter = await createPrinter(
    db,
    actor,
    createPrinterInput.parse({
      name: "Form 3",
      make: "Formlabs",
      model: "Form 3",
      technology: "resin",
      buildVolumeMm: { x: 145, y: 145, z: 185 },
      layerHeightsMm: [0.05],
      nozzleMm: null,
      hourlyRateMinor: 500,
      status: "available",
      notes: "",
      materialIds: [resin.id],
    }),
  );
  return {
    organizationId,
    owner: activeOwner,
    actor,
    printerId: printer.id,
    resinPrinterId: resinPrinter.id,
    plaId: pla.id,
    resinId: resin.id,
  };
}

/** The organization-scoped tables the shop and job routers write. */
export const SHOP_TABLES = [
  "auditLog",
  "shopSettings",
  "printer",
  "material",
  "printerMaterial",
  "customer",
  "job",
  "jobItem",
  "jobStatusChange",
  "jobNote",
  "jobFile",
  "stockMovement",
  "notification",
  "member",
  "conversationMessage",
  "messageTemplate",
  "shopSmsSettings",
  "smsOptOut",
  "printerMaintenance",
  "suggestionOutcome",
] as const;

/** Counts of every row the shop and job routers can write, to prove a call had no side effect. */
export async function sideEffectSnapshot(db: Database): Promise<Record<string, number>> {
  const tables = [...SHOP_TABLES, "stockReservation", "outboxMessage", "organization"] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  // Changes in place (not only inserts): fingerprints of the mutable tables.
  const fp = await db
    .selectFrom("material")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("onHandG"), eb.lit(0)).as("s"))
    .executeTakeFirstOrThrow();
  out.materialOnHand = Number(fp.s);
  const held = await db
    .selectFrom("material")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("reservedG"), eb.lit(0)).as("s"))
    .executeTakeFirstOrThrow();
  out.materialReserved = Number(held.s);
  const updated = await db
    .selectFrom("job")
    .select((eb) => eb.fn.max("updatedAt").as("m"))
    .executeTakeFirstOrThrow();
  out.jobUpdatedAt = updated.m ? new Date(updated.m).getTime() : 0;
  const settings = await db
    .selectFrom("shopSettings")
    .select((eb) => eb.fn.max("updatedAt").as("m"))
    .executeTakeFirstOrThrow();
  out.settingsUpdatedAt = settings.m ? new Date(settings.m).getTime() : 0;
  return out;
}

/** A binary STL of an axis-aligned box (12 triangles), sizes in mm. */
export function boxStl(x: number, y: number, z: number): Uint8Array {
  const v = [
    [0, 0, 0],
    [x, 0, 0],
    [x, y, 0],
    [0, y, 0],
    [0, 0, z],
    [x, 0, z],
    [x, y, z],
    [0, y, z],
  ] as const;
  const faces = [
    [0, 2, 1],
    [0, 3, 2],
    [4, 5, 6],
    [4, 6, 7],
    [0, 1, 5],
    [0, 5, 4],
    [1, 2, 6],
    [1, 6, 5],
    [2, 3, 7],
    [2, 7, 6],
    [3, 0, 4],
    [3, 4, 7],
  ] as const;
  const buf = new ArrayBuffer(84 + faces.length * 50);
  const view = new DataView(buf);
  view.setUint32(80, faces.length, true);
  faces.forEach((f, i) => {
    const o = 84 + i * 50;
    f.forEach((vi, k) => {
      const p = v[vi];
      if (!p) return;
      view.setFloat32(o + 12 + k * 12, p[0], true);
      view.setFloat32(o + 16 + k * 12, p[1], true);
      view.setFloat32(o + 20 + k * 12, p[2], true);
    });
  });
  return new Uint8Array(buf);
}

/** An in-memory stand-in for the storage service. */
export function memoryStorage() {
  const files = new Map<string, Uint8Array>();
  let n = 0;
  return {
    provider: "local-disk" as const,
    files,
    async get(key: string) {
      const bytes = files.get(key);
      return bytes
        ? { key, bytes, size: bytes.length, contentType: "application/octet-stream", fileName: "file" }
        : null;
    },
    async put(input: { bytes: Uint8Array; contentType: string; fileName: string }) {
      n++;
      const key = `f_${String(n).padStart(26, "0")}`;
      files.set(key, input.bytes);
      return { key, size: input.bytes.length };
    },
    async putStream(input: { body: AsyncIterable<Uint8Array>; contentType: string; fileName: string }) {
      const parts: Uint8Array[] = [];
      for await (const part of input.body) parts.push(part);
      return this.put({ ...input, bytes: new Uint8Array(Buffer.concat(parts)) });
    },
    async open(key: string) {
      const file = await this.get(key);
      return file && { ...file, body: new Blob([Buffer.from(file.bytes)]).stream() };
    },
    /** Staged content needs a path on disk; it is read into memory on commit. */
    async stage() {
      const dir = await mkdtemp(join(tmpdir(), "ktizo-memory-stage-"));
      const path = join(dir, "content");
      await writeFile(path, new Uint8Array(0));
      const discard = () => rm(dir, { recursive: true, force: true });
      return {
        path,
        commit: async (input: { contentType: string; fileName: string }) => {
          const stored = await this.put({ ...input, bytes: new Uint8Array(await readFile(path)) });
          await discard();
          return stored;
        },
        discard,
      };
    },
    async delete(key: string) {
      files.delete(key);
    },
  };
}
