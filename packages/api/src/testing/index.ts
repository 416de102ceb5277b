import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Auth } from "@ktizo/auth";
import { type Database, type DbHandle, newId, type OrganizationRole } from "@ktizo/db";
import { type Clock, createServices, type Services, systemClock } from "@ktizo/services";
import type { ApiContext, SessionInfo } from "../kernel/index.ts";
import { createCaller } from "../root.ts";
import { insertMember, insertOrganization, insertUser } from "./builders.ts";

/**
 * Test helpers for routers: real database, local service stand-ins, and sessions made directly
 * (the host is what turns a cookie into a SessionInfo; routers only trust the SessionInfo).
 */
export interface TestActor {
  userId: string;
  email: string;
  name: string;
  session: SessionInfo;
}

export async function createTestUser(
  db: Database,
  input: { name?: string; email?: string; platformRole?: "admin" | null } = {},
): Promise<TestActor> {
  const userId = newId("usr");
  const email = input.email ?? `${userId}@example.test`;
  const name = input.name ?? "Test User";
  await insertUser(db, { id: userId, name, email, role: input.platformRole ?? null });
  return {
    userId,
    email,
    name,
    session: {
      sessionId: newId("ses"),
      userId,
      email,
      name,
      emailVerified: true,
      platformRole: input.platformRole ?? null,
      activeOrganizationId: null,
    },
  };
}

/** Creates an organization (with its business profile) and makes `owner` its owner, active in the session. */
export async function createTestOrganization(
  db: Database,
  owner: TestActor,
  input: { name?: string; slug?: string; country?: string; currency?: string } = {},
): Promise<{ organizationId: string; owner: TestActor }> {
  const name = input.name ?? "Test Shop";
  const organizationId = await insertOrganization(
    db,
    { name, slug: input.slug },
    { companyName: name, country: input.country ?? "US", currency: input.currency ?? "USD" },
  );
  await addTestMember(db, organizationId, owner, "owner");
  return { organizationId, owner: withActiveOrganization(owner, organizationId) };
}

export async function addTestMember(
  db: Database,
  organizationId: string,
  actor: TestActor,
  role: OrganizationRole,
): Promise<TestActor> {
  await insertMember(db, organizationId, actor.userId, role);
  return withActiveOrganization(actor, organizationId);
}

export function withActiveOrganization(actor: TestActor, organizationId: string | null): TestActor {
  return { ...actor, session: { ...actor.session, activeOrganizationId: organizationId } };
}

/** The local stand-ins of every service (outbox, test-mode payments, files in a temporary folder). */
export function testServices(db: Database, clock: Clock = systemClock): Services {
  const dataDir = mkdtempSync(join(tmpdir(), "ktizo-test-files-"));
  return createServices({ settings: { KTIZO_DATA_DIR: dataDir }, db, clock }).services;
}

export function createTestContext(
  handle: DbHandle,
  actor: TestActor | null,
  overrides: Partial<Pick<ApiContext, "services" | "clock" | "auth">> & { clock?: Clock } = {},
): ApiContext {
  return {
    db: handle.db,
    dbKind: handle.kind,
    services: overrides.services ?? testServices(handle.db, overrides.clock ?? systemClock),
    clock: overrides.clock ?? systemClock,
    auth: overrides.auth ?? (undefined as unknown as Auth),
    session: actor?.session ?? null,
    headers: new Headers(),
    baseUrl: "http://localhost:3000",
    clientIp: "unknown",
    responseHeaders: new Headers(),
  };
}

/** A server-side caller of the whole API as `actor` (null: signed out). */
export function callerFor(
  handle: DbHandle,
  actor: TestActor | null,
  overrides: Parameters<typeof createTestContext>[2] = {},
) {
  return createCaller(createTestContext(handle, actor, overrides));
}

export { codeOf, listProcedures, type ProcedureInfo, uncoveredProcedures } from "./access.ts";
export { insertMember, insertOrganization, insertUser } from "./builders.ts";
export { listedShop } from "./marketplace-fixtures.ts";
export { printedJob, walkInCustomer } from "./print-history.ts";
export { buildResourceWorld, RESOURCE_SECRET, type ResourceWorld } from "./resource-world.ts";
