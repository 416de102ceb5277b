import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type Services } from "@ktizo/services";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root.ts";
import { insertSession, stateSnapshot } from "../testing/account-support.ts";
import {
  addTestMember,
  callerFor,
  createTestOrganization,
  createTestUser,
  listProcedures,
  type TestActor,
  testServices,
} from "../testing/index.ts";

/**
 * Support view: the shop's owner grants platform support read-only access for a while; an admin opens
 * the workspace and reads it as the shop's admins do; every organization mutation is refused in the tRPC
 * layer; pages viewed are audited and the shop sees them; after expiry or revocation NOT_FOUND.
 */
let handle: DbHandle;
let db: Database;
let services: Services;
let admin: TestActor;
let owner: TestActor;
let member: TestActor;
let otherOwner: TestActor;
let shopId = "";
const T0 = new Date("2026-05-04T09:00:00Z");
const at = (minutes: number) => fixedClock(new Date(T0.getTime() + minutes * 60_000));

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  services = testServices(db);
  admin = await createTestUser(db, { name: "Sam Support", platformRole: "admin" });
  await insertSession(db, admin);
  const shop = await createTestOrganization(db, await createTestUser(db, { name: "Olga Owner" }), {
    name: "Delta Prints",
  });
  shopId = shop.organizationId;
  owner = shop.owner;
  member = await addTestMember(db, shopId, await createTestUser(db, { name: "Mia Member" }), "member");
  otherOwner = (
    await createTestOrganization(db, await createTestUser(db, { name: "Other Owner" }), { name: "Other" })
  ).owner;
});
afterAll(() => handle.close());

const as = (actor: TestActor, minutes = 0) => callerFor(handle, actor, { services, clock: at(minutes) });

/** Calls a procedure by its path ("shop.printers.create") with `input`. */
function callPath(caller: ReturnType<typeof as>, path: string, input: unknown): Promise<unknown> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the caller's proxy by a path string
  const fn = path.split(".").reduce<any>((node, key) => node[key], caller);
  return fn(input);
}

describe("support view", () => {
  it("is NOT_FOUND to an admin until the owner grants it; members cannot grant", async () => {
    await expect(as(admin).admin.support.open({ organizationId: shopId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(as(member).account.support.grant({ hours: 24 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(as(owner).account.support.grant({ hours: 5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("lets the admin read the workspace and refuses every organization mutation", async () => {
    const granted = await as(owner).account.support.grant({ hours: 24 });
    expect(granted.live).toMatchObject({ grantedByName: "Olga Owner", live: true });
    expect(granted.live?.expiresAt).toEqual(new Date(T0.getTime() + 24 * 3_600_000));
    // Another shop cannot touch this grant.
    await expect(
      as(otherOwner).account.support.revoke({ grantId: granted.live?.id ?? "" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    const view = await as(admin, 5).admin.support.open({ organizationId: shopId });
    expect(view).toMatchObject({
      organizationId: shopId,
      organizationName: "Delta Prints",
      grantedByName: "Olga Owner",
    });
    const caller = as(admin, 10);
    expect(await caller.admin.support.current()).toMatchObject({ state: "live" });
    expect(await caller.account.organization.get()).toMatchObject({
      id: shopId,
      name: "Delta Prints",
      role: "admin",
    });
    expect((await caller.account.members.list()).members.map((m) => m.name).sort()).toEqual([
      "Mia Member",
      "Olga Owner",
    ]);
    await caller.admin.support.recordView({ path: "/org/members" });

    // Every mutation of the organization tier is FORBIDDEN before it reads its input; nothing changes.
    const mutations = listProcedures(appRouter).filter(
      (p) => p.type === "mutation" && p.access?.startsWith("org:"),
    );
    expect(mutations.length).toBeGreaterThan(20);
    const before = await stateSnapshot(db);
    for (const p of mutations) {
      const error = await callPath(caller, p.path, {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, p.path).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, p.path).toBe("FORBIDDEN");
      expect((error as TRPCError).message, p.path).toContain("Support view is read only");
    }
    expect(await stateSnapshot(db)).toEqual(before);

    // The shop sees what support did.
    const seen = await as(owner, 11).account.support.get();
    expect(seen.log.map((e) => [e.action, e.actorName, e.path])).toEqual([
      ["support.page_viewed", "Sam Support", "/org/members"],
      ["support.view_opened", "Sam Support", null],
      ["support.granted", "Olga Owner", null],
    ]);
  });

  it("answers NOT_FOUND once the grant has expired, until the admin leaves", async () => {
    const late = as(admin, 24 * 60 + 1);
    expect(await late.admin.support.current()).toEqual({ state: "ended" });
    await expect(late.account.organization.get()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(late.admin.support.recordView({ path: "/org" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(late.admin.support.open({ organizationId: shopId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await late.admin.support.leave()).toEqual({ left: true });
    expect(await late.admin.support.current()).toEqual({ state: "none" });
    // The admin's own session is theirs again: not a member of the shop.
    await expect(late.account.organization.get()).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers NOT_FOUND at once when the owner revokes it", async () => {
    const t = 2 * 24 * 60;
    const granted = await as(owner, t).account.support.grant({ hours: 1 });
    await as(admin, t + 1).admin.support.open({ organizationId: shopId });
    expect(await as(admin, t + 2).account.organization.get()).toMatchObject({ id: shopId });
    const after = await as(owner, t + 3).account.support.revoke({ grantId: granted.live?.id ?? "" });
    expect(after.live).toBeNull();
    await expect(
      as(owner, t + 4).account.support.revoke({ grantId: granted.live?.id ?? "" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(as(admin, t + 4).account.organization.get()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await as(admin, t + 4).admin.support.status({ organizationId: shopId })).toEqual({ grant: null });
    const log = (await as(owner, t + 5).account.support.get()).log.map((e) => e.action);
    expect(log.slice(0, 3)).toEqual(["support.revoked", "support.view_opened", "support.granted"]);
  });

  it("a new grant replaces the live one", async () => {
    const t = 3 * 24 * 60;
    await as(owner, t).account.support.grant({ hours: 1 });
    const second = await as(owner, t + 1).account.support.grant({ hours: 72 });
    expect(second.grants.filter((g) => g.live)).toHaveLength(1);
    expect(second.live?.expiresAt).toEqual(new Date(T0.getTime() + (t + 1) * 60_000 + 72 * 3_600_000));
  });
});
