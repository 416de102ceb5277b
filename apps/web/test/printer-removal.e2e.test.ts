import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "./browser-steps.ts";

const runnable = requireOrSkip(
  "printer removal browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

// Issue 11: removing a printer used to leave its jobs "scheduled" with no printer and their material
// still reserved. Now its scheduled jobs go back to approved (material released, history kept), and a
// printer with a job in progress is refused with a message that names the jobs.
describe.runIf(runnable)("removing a printer from the shop workspace", () => {
  let host: TestHost;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
    const context = await browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("dialog", (dialog) => void dialog.accept());
    await signIn(page, host.webUrl, DEMO_USERS.northsideOwner);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  const db = () => host.runtime.db;
  const orgId = () => {
    const shop = host.demo.shops.find((s) => s.ownerUserId === host.demo.users.northsideOwner);
    if (!shop) throw new Error("The demo shop is missing");
    return shop.organizationId;
  };
  /** The demo shop's printers with the statuses of the jobs on them. */
  async function printers() {
    const rows = await db()
      .selectFrom("printer as p")
      .leftJoin("job as j", "j.printerId", "p.id")
      .select(["p.id", "p.name", "j.id as jobId", "j.status"])
      .where("p.organizationId", "=", orgId())
      .execute();
    const byId = new Map<string, { id: string; name: string; jobs: { id: string; status: string }[] }>();
    for (const r of rows) {
      const p = byId.get(r.id) ?? { id: r.id, name: r.name, jobs: [] };
      if (r.jobId && r.status) p.jobs.push({ id: r.jobId, status: r.status });
      byId.set(r.id, p);
    }
    return [...byId.values()];
  }
  const reservedG = async () => {
    const rows = await db()
      .selectFrom("material")
      .select(["id", "reservedG"])
      .where("organizationId", "=", orgId())
      .orderBy("id")
      .execute();
    return Object.fromEntries(rows.map((r) => [r.id, r.reservedG]));
  };

  it("refuses a printer with a job in progress, naming the job, and keeps it", async () => {
    const busy = (await printers()).find((p) => p.jobs.some((j) => j.status === "printing"));
    expect(busy, "the demo shop has a printer that is printing").toBeDefined();
    if (!busy) return;
    await gotoHydrated(page, `${host.webUrl}/org/printers`);
    await page.getByRole("button", { name: `Remove ${busy.name}` }).click();
    const alert = page.getByRole("alert").filter({ hasText: "in progress" });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      new RegExp(`^${busy.name} has (a job|jobs) in progress: #\\d+ \\(printing\\)`),
    );
    expect((await printers()).map((p) => p.id)).toContain(busy.id);
  });

  it("takes the scheduled jobs of a removed printer back to approved and releases their material", async () => {
    const all = await printers();
    const idle = all.find((p) => p.jobs.some((j) => j.status === "scheduled"));
    const other = all.find((p) => p !== idle);
    expect(idle && other, "the demo shop has a printer with scheduled jobs, and another").toBeTruthy();
    if (!idle || !other) return;
    // Setup: the jobs in progress on it move to another printer (as the shop would do first).
    await db()
      .updateTable("job")
      .set({ printerId: other.id })
      .where("printerId", "=", idle.id)
      .where("status", "in", ["printing", "on_hold"])
      .execute();
    const scheduled = idle.jobs.filter((j) => j.status === "scheduled").map((j) => j.id);
    const before = await reservedG();
    await gotoHydrated(page, `${host.webUrl}/org/printers`);
    await page.getByRole("button", { name: `Remove ${idle.name}` }).click();
    const what =
      scheduled.length === 1 ? "Its scheduled job is" : `Its ${scheduled.length} scheduled jobs are`;
    await page.getByText(`Printer removed. ${what} back to approved and the material is released.`).waitFor();
    expect((await printers()).map((p) => p.id)).not.toContain(idle.id);

    const jobs = await db()
      .selectFrom("job")
      .select(["id", "status", "stockState", "printerId", "scheduledStartAt"])
      .where("id", "in", scheduled)
      .execute();
    expect(jobs.every((j) => j.status === "approved" && j.stockState === "none" && !j.printerId)).toBe(true);
    const after = await reservedG();
    const released = Object.keys(before).some((id) => (after[id] ?? 0) < (before[id] ?? 0));
    expect(released).toBe(true);
    const open = await db()
      .selectFrom("stockReservation")
      .select("id")
      .where("jobId", "in", scheduled)
      .where("endedAt", "is", null)
      .execute();
    expect(open).toEqual([]);

    // The job page says what happened, in the job's history.
    await page.goto(`${host.webUrl}/org/jobs/${scheduled[0]}`);
    await page.getByRole("cell", { name: `Taken off the schedule: ${idle.name} was removed` }).waitFor();
  });
});
