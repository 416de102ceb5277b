import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedShopWorkspace } from "../demo/workspace.ts";
import { listPrinters } from "../shop/printers.ts";
import { createTestOrganization, createTestUser } from "../testing/index.ts";
import { boardInput, jobBoard } from "./job-lists.ts";
import { IN_PROGRESS_STATUSES, workspaceOverview } from "./overview.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const NOW = new Date("2026-05-04T09:30:00Z");

describe("workspace overview", () => {
  it("counts what the board and the printers page show, for this shop only", async () => {
    const db = handle.db;
    const clock = fixedClock(NOW);
    const shops = [];
    for (const kind of ["fdm", "resin"] as const) {
      const owner = await createTestUser(db, { name: `Owner ${kind}` });
      const { organizationId } = await createTestOrganization(db, owner, { slug: `overview-${kind}` });
      await seedShopWorkspace(db, { organizationId, ownerUserId: owner.userId, clock, kind });
      shops.push(organizationId);
    }
    for (const organizationId of shops) {
      const overview = await workspaceOverview(db, organizationId, NOW);
      const board = await jobBoard(db, organizationId, boardInput.parse({}), NOW);
      const column = (status: string) => board.find((c) => c.status === status)?.count ?? 0;
      expect(overview.openQuotes).toBe(column("quote"));
      expect(overview.jobsInProgress).toBe(IN_PROGRESS_STATUSES.reduce((n, s) => n + column(s), 0));
      const printers = await listPrinters(db, organizationId, {});
      expect(overview.printers).toBe(printers.length);
      expect(overview.printersAvailable).toBe(printers.filter((p) => p.status === "available").length);
      // The demo shops are busy: the figures are not the zeros of an empty page.
      expect(overview.openQuotes + overview.jobsInProgress).toBeGreaterThan(0);
      expect(overview.printers).toBeGreaterThan(0);
    }
  });

  it("counts overdue jobs by the clock, not by the wall", async () => {
    const db = handle.db;
    const owner = await createTestUser(db, { name: "Owner overdue" });
    const { organizationId } = await createTestOrganization(db, owner, { slug: "overview-overdue" });
    await seedShopWorkspace(db, {
      organizationId,
      ownerUserId: owner.userId,
      clock: fixedClock(NOW),
      kind: "fdm",
    });
    const open = await db
      .selectFrom("job")
      .where("organizationId", "=", organizationId)
      .where("dueAt", "is not", null)
      .where("status", "not in", ["shipped", "picked_up", "completed", "cancelled"])
      .select("dueAt")
      .execute();
    const later = new Date(Math.max(...open.map((j) => (j.dueAt as Date).getTime())) + 1000);
    expect((await workspaceOverview(db, organizationId, later)).overdueJobs).toBe(open.length);
    const early = new Date(Math.min(...open.map((j) => (j.dueAt as Date).getTime())) - 1000);
    expect((await workspaceOverview(db, organizationId, early)).overdueJobs).toBe(0);
  });
});
