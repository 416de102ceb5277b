import { type DbHandle, recordAudit } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrganization, createTestUser, type TestActor } from "../testing/index.ts";
import { exportAudit, searchAudit } from "./audit.ts";
import { auditExportInput, searchAuditInput } from "./schemas.ts";

let handle: DbHandle;
let ada: TestActor;
let bob: TestActor;
let orgId = "";

beforeAll(async () => {
  handle = await createTestDb();
  const db = handle.db;
  ada = await createTestUser(db, { name: "Ada Admin", email: "ada@example.test", platformRole: "admin" });
  bob = await createTestUser(db, { name: "Bob Owner", email: "bob@example.test" });
  orgId = (await createTestOrganization(db, bob, { name: "Gamma Prints", slug: "gamma-prints" }))
    .organizationId;
  await db.deleteFrom("auditLog").execute();
  const at = (d: string) => new Date(`2026-04-${d}T12:00:00Z`);
  const entries = [
    {
      actorUserId: ada.userId,
      organizationId: orgId,
      action: "admin.order.refunded",
      subjectType: "order",
      subjectId: "ord_1",
      data: { reason: '=HYPERLINK("x")' },
      at: at("01"),
    },
    {
      actorUserId: ada.userId,
      organizationId: null,
      action: "admin.webhook.replayed",
      subjectType: "webhook_event",
      subjectId: "whe_1",
      data: {},
      at: at("02"),
    },
    {
      actorUserId: bob.userId,
      organizationId: orgId,
      action: "shop.printer.created",
      subjectType: "printer",
      subjectId: "prn_1",
      data: {},
      at: at("03"),
    },
  ];
  for (const { at: createdAt, ...e } of entries) {
    await recordAudit(db, e);
    // (The audit log is append-only in the schema types; the test dates its rows with plain SQL.)
    await sql`update audit_log set created_at = ${createdAt} where subject_id = ${e.subjectId}`.execute(db);
  }
});
afterAll(() => handle.close());

const search = async (input: Record<string, unknown>) =>
  (await searchAudit(handle.db, searchAuditInput.parse(input))).items.map((e) => e.subjectId);

describe("audit log search", () => {
  it("finds entries by actor, organization, object, action and day, newest first", async () => {
    expect(await search({})).toEqual(["prn_1", "whe_1", "ord_1"]);
    expect(await search({ actor: "ada@" })).toEqual(["whe_1", "ord_1"]);
    expect(await search({ actor: bob.userId })).toEqual(["prn_1"]);
    expect(await search({ organization: "gamma" })).toEqual(["prn_1", "ord_1"]);
    expect(await search({ object: "ord_1" })).toEqual(["ord_1"]);
    expect(await search({ object: "webhook" })).toEqual(["whe_1"]);
    expect(await search({ action: "admin." })).toEqual(["whe_1", "ord_1"]);
    expect(await search({ from: "2026-04-02", to: "2026-04-02" })).toEqual(["whe_1"]);
    const [entry] = (await searchAudit(handle.db, searchAuditInput.parse({ object: "ord_1" }))).items;
    expect(entry).toMatchObject({
      action: "admin.order.refunded",
      actor: { id: ada.userId, name: "Ada Admin", email: "ada@example.test" },
      organization: { id: orgId, name: "Gamma Prints" },
    });
  });

  it("exports the same search as formula-safe CSV", async () => {
    const out = await exportAudit(handle.db, auditExportInput.parse({ actor: "ada" }));
    expect(out).toMatchObject({ rows: 2, truncated: false });
    const lines = out.csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "time_utc,action,actor_id,actor_email,organization_id,organization,object_type,object_id,data",
    );
    expect(lines[1]).toBe(
      `2026-04-02T12:00:00.000Z,admin.webhook.replayed,${ada.userId},ada@example.test,,,webhook_event,whe_1,{}`,
    );
    // The reason is inside JSON text (not at a cell start), quoted as CSV requires.
    expect(lines[2]).toContain('"{""reason"":""=HYPERLINK(\\""x\\"")""}"');
  });
});
