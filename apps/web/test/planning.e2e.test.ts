import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip("planning browser test", browserUnavailableReason() ?? appsNotBuiltReason());

/** Issue 15: the owner asks for a plan, sees why a job will be late, accepts it, and the schedule shows it. */
describe.runIf(runnable)("planning the schedule in the browser", () => {
  let host: TestHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  const open = async (path: string) => {
    await page.goto(`${host.webUrl}${path}`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  };

  it("asks for a plan, sees a late job explained, accepts it, and the schedule and board show the plan", async () => {
    await open("/sign-in");
    await page.getByLabel("Email").fill(DEMO_USERS.northsideOwner.email);
    await page.getByLabel("Password").fill(DEMO_USERS.northsideOwner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));

    // A 50-hour print due today cannot be on time.
    const today = new Date().toISOString().slice(0, 10);
    await open("/org/jobs/new");
    await page.getByLabel("Title").fill("Rush lattice");
    await page.getByLabel("Start as").selectOption("approved");
    await page.getByLabel("Due date").fill(today);
    await page.locator("select[name=customerId]").selectOption({ index: 1 });
    await page.getByLabel("Item 1 description").fill("Lattice");
    await page.getByLabel("Item 1 quantity").fill("1");
    await page.getByLabel("Item 1 unit price").fill("40");
    await page.getByLabel("Item 1 print minutes").fill("3000");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL((u) => /^\/org\/jobs\/job_/.test(u.pathname));
    const jobId = new URL(page.url()).pathname.split("/").pop() ?? "";

    await open("/org/schedule");
    await page.getByRole("link", { name: "Plan automatically" }).click();
    await page.waitForURL((u) => u.pathname === "/org/schedule/plan");
    const lateSection = page.getByRole("region", { name: "Late jobs and why" });
    await lateSection.getByText(/Rush lattice/).waitFor();
    expect(await lateSection.textContent()).toMatch(
      /Rush lattice.*late.*(cannot finish by the due date|busy with work due earlier)/s,
    );
    // Nothing is scheduled yet.
    const before = await host.runtime.db
      .selectFrom("job")
      .select("status")
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(before.status).toBe("approved");

    await page.getByRole("button", { name: "Accept the checked jobs" }).click();
    await page.waitForURL((u) => u.pathname === "/org/schedule" && u.searchParams.has("planned"));
    await page.getByText(/Plan accepted: \d+ jobs scheduled\./).waitFor();
    const after = await host.runtime.db
      .selectFrom("job")
      .select(["status", "printerId", "scheduledStartAt", "number"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe("scheduled");
    expect(after.printerId).not.toBeNull();
    // The printers' timelines list it (the schedule opens on today, where the plan starts it).
    await page
      .getByRole("link", { name: `#${after.number} Rush lattice` })
      .first()
      .waitFor();

    await open("/org/board");
    await page.locator("[data-column=scheduled]").getByText("Rush lattice").first().waitFor();

    // Planned maintenance on that printer: added on the printers page, shown on the schedule's lane.
    const printer = await host.runtime.db
      .selectFrom("printer")
      .select(["id", "name"])
      .where("id", "=", after.printerId!)
      .executeTakeFirstOrThrow();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await open("/org/printers");
    const maintenance = page.getByRole("region", { name: "Planned maintenance" });
    await maintenance.getByLabel("Printer").selectOption(printer.id);
    await maintenance.getByLabel("Starts").fill(`${tomorrow}T10:00`);
    await maintenance.getByLabel("Ends").fill(`${tomorrow}T12:00`);
    await maintenance.getByLabel("Reason").fill("Nozzle change");
    await maintenance.getByRole("button", { name: "Plan maintenance" }).click();
    await page.getByText("Maintenance planned. The planner keeps this time free.").waitFor();
    await open("/org/schedule");
    await page
      .getByRole("list", { name: `Planned maintenance on ${printer.name}` })
      .getByText(/Nozzle change/)
      .waitFor();

    // The printer goes offline: the schedule and the board offer a new plan, with the reason.
    await open(`/org/printers?edit=${printer.id}`);
    await page
      .getByRole("region", { name: `Edit ${printer.name}` })
      .getByLabel("Status")
      .selectOption("offline");
    await page.getByRole("button", { name: "Save printer" }).click();
    await page.getByText("Printer saved.").waitFor();
    // getByText with a string matches a part of the text.
    const reason = `${printer.name} is offline with`;
    await open("/org/board");
    await page.getByTestId("replan-offer").getByText(reason).waitFor();
    await open("/org/schedule");
    await page.getByTestId("replan-offer").getByText(reason).waitFor();
    await page.getByRole("link", { name: "Re-plan" }).click();
    await page.waitForURL((u) => u.pathname === "/org/schedule/plan" && u.searchParams.get("moves") === "1");
    await page.getByRole("region", { name: "Why re-plan now" }).getByText(reason).waitFor();
    // Nothing changed by offering: the job is still where it was.
    const still = await host.runtime.db
      .selectFrom("job")
      .select(["status", "printerId"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(still).toEqual({ status: "scheduled", printerId: printer.id });
  });
});
