import { type DbHandle, newId } from "@ktizo/db";
import type { Services } from "@ktizo/services";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { createJob, createJobInput } from "../job/create-job.ts";
import { attachJobFile } from "../job/files.ts";
import { addJobNote } from "../job/notes.ts";
import {
  addTestMember,
  callerFor,
  createTestUser,
  type TestActor,
  testServices,
  withActiveOrganization,
} from "./index.ts";
import { analyze } from "./marketplace-fixtures.ts";
import { boxStl, memoryStorage, SHOP_TABLES, type ShopFixture, shopFixture, T0 } from "./shop-fixtures.ts";

/**
 * The world the access tests run in: a victim shop with one of everything, its admin and member, an
 * outsider who owns another shop, and a signed-in customer without any role.
 */
export interface AccessWorld {
  handle: DbHandle;
  victim: ShopFixture;
  admin: TestActor;
  member: TestActor;
  outsider: TestActor;
  outsiderOrgId: string;
  customer: TestActor;
  jobId: string;
  customerId: string;
  itemId: string;
  noteId: string;
  fileId: string;
  notificationId: string;
  /** A planned maintenance window on the victim's printer (issue 15). */
  maintenanceId: string;
  services: Services;
  victimSlug: string;
}

export async function buildAccessWorld(handle: DbHandle): Promise<AccessWorld> {
  const db = handle.db;
  const victim = await shopFixture(db, "Victim Shop");
  const admin = await addTestMember(
    db,
    victim.organizationId,
    await createTestUser(db, { name: "Ada Admin" }),
    "admin",
  );
  const member = await addTestMember(
    db,
    victim.organizationId,
    await createTestUser(db, { name: "Max Member" }),
    "member",
  );
  const other = await shopFixture(db, "Outsider Shop");
  const customer = withActiveOrganization(
    await createTestUser(db, { name: "Cass Customer" }),
    victim.organizationId,
  );
  const job = await createJob(
    db,
    { send: async () => ({ id: "fixture" }) },
    victim.actor,
    createJobInput.parse({
      title: "Victim secret job",
      newCustomer: { name: "Victim Customer", email: "vc@example.test" },
      status: "approved",
      items: [
        { description: "Part", quantity: 1, materialId: victim.plaId, unitPriceMinor: 100, gramsPerUnit: 10 },
      ],
    }),
    T0,
  );
  const note = await addJobNote(db, victim.actor, { jobId: job.id, body: "Secret note" }, T0);
  const storage = memoryStorage();
  const file = await attachJobFile(
    db,
    { storage, analyze },
    {
      organizationId: victim.organizationId,
      jobId: job.id,
      actorUserId: victim.owner.userId,
      fileName: "part.stl",
      contentType: "model/stl",
      bytes: boxStl(10, 10, 10),
      kind: "model",
    },
    new Date(),
  );
  const notification = await db
    .selectFrom("notification")
    .select("id")
    .where("organizationId", "=", victim.organizationId)
    .executeTakeFirstOrThrow();
  const maintenanceId = newId("mnt");
  await db
    .insertInto("printerMaintenance")
    .values({
      id: maintenanceId,
      organizationId: victim.organizationId,
      printerId: victim.printerId,
      startsAt: new Date("2030-01-07T08:00:00Z"),
      endsAt: new Date("2030-01-07T10:00:00Z"),
      reason: "Victim service",
    })
    .execute();
  const services: Services = { ...testServices(db), storage };
  return {
    handle,
    victim,
    admin,
    member,
    outsider: other.owner,
    outsiderOrgId: other.organizationId,
    customer,
    jobId: job.id,
    customerId: job.customer.id,
    itemId: job.items[0]?.id ?? "",
    noteId: note.id,
    fileId: file.id,
    notificationId: notification.id,
    maintenanceId,
    services,
    victimSlug: (
      await db
        .selectFrom("organization")
        .select("slug")
        .where("id", "=", victim.organizationId)
        .executeTakeFirstOrThrow()
    ).slug,
  };
}

/** Everything the victim shop has, to prove that a refused call changed nothing. */
export async function victimState(w: AccessWorld): Promise<string> {
  const db = w.handle.db;
  const org = w.victim.organizationId;
  const tables = SHOP_TABLES;
  const state: Record<string, unknown> = {};
  for (const t of tables) {
    state[t] = await db.selectFrom(t).selectAll().where("organizationId", "=", org).execute();
  }
  state.organization = await db.selectFrom("organization").selectAll().where("id", "=", org).execute();
  state.profile = await db
    .selectFrom("organizationProfile")
    .selectAll()
    .where("organizationId", "=", org)
    .execute();
  state.outbox = await db.selectFrom("outboxMessage").select("id").execute();
  return JSON.stringify(state, (_k, v) =>
    Array.isArray(v) ? [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : v,
  );
}

/** Calls `prefix.path` on a caller for `actor` with `input`; returns the tRPC error code or "OK". */
export async function callAs(
  w: AccessWorld,
  actor: TestActor | null,
  path: string,
  input: unknown,
): Promise<{ code: string; result?: unknown }> {
  let node: unknown = callerFor(w.handle, actor, { services: w.services });
  for (const part of path.split(".")) {
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node !== "function") throw new Error(`No procedure at ${path}`);
  try {
    const result: unknown = await node(input);
    return { code: "OK", result };
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code };
    throw e;
  }
}

/** Strings that must never appear in what an outsider gets back. */
export function victimSecrets(w: AccessWorld): string[] {
  return [
    w.victim.organizationId,
    w.victim.printerId,
    w.victim.plaId,
    w.jobId,
    w.customerId,
    w.noteId,
    w.fileId,
    w.maintenanceId,
    "Victim secret job",
    "Victim Customer",
  ];
}

export interface AccessCase {
  /** The tier the procedure must declare. */
  access: "org:member" | "org:admin" | "org:owner";
  input: (w: AccessWorld) => unknown;
  /** The input names the victim's objects: an outsider acting in their own shop must get NOT_FOUND. */
  targetsVictim: boolean;
  /** What an outsider gets in their own shop when it is neither OK nor NOT_FOUND (a refused confirmation). */
  outsiderOwnShopCode?: string;
}

/**
 * The refusals every organization procedure owes (one case of an enumerating access test): signed out is
 * FORBIDDEN; a customer, an outsider who forged the victim's organization into their session and (for a
 * case that names the victim's objects) an outsider in their own shop get NOT_FOUND; a role below the
 * declared tier is FORBIDDEN; an outsider's own-shop answer leaks none of the victim's secrets; and the
 * victim's state is unchanged.
 */
export async function expectRefused<W extends AccessWorld>(
  w: W,
  procedure: string,
  c: { access: AccessCase["access"]; input: unknown; targetsVictim: boolean; outsiderOwnShopCode?: string },
  victim: { state: (w: W) => Promise<string>; secrets: (w: W) => string[] } = {
    state: victimState,
    secrets: victimSecrets,
  },
): Promise<void> {
  const before = await victim.state(w);
  expect((await callAs(w, null, procedure, c.input)).code).toBe("FORBIDDEN");
  expect((await callAs(w, w.customer, procedure, c.input)).code).toBe("NOT_FOUND");
  const forged = {
    ...w.outsider,
    session: { ...w.outsider.session, activeOrganizationId: w.victim.organizationId },
  };
  expect((await callAs(w, forged, procedure, c.input)).code).toBe("NOT_FOUND");
  if (c.access !== "org:member") {
    expect((await callAs(w, w.member, procedure, c.input)).code).toBe("FORBIDDEN");
  }
  if (c.access === "org:owner") {
    expect((await callAs(w, w.admin, procedure, c.input)).code).toBe("FORBIDDEN");
  }
  const own = await callAs(w, w.outsider, procedure, c.input);
  if (c.outsiderOwnShopCode) {
    expect(own.code).toBe(c.outsiderOwnShopCode);
  } else if (c.targetsVictim) {
    expect(own.code).toBe("NOT_FOUND");
  } else {
    expect(own.code).toBe("OK");
    const text = JSON.stringify(own.result ?? null);
    for (const secret of victim.secrets(w)) expect(text).not.toContain(secret);
  }
  expect(await victim.state(w)).toEqual(before);
}
