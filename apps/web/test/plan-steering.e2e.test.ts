import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "plan steering browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);
const DAY = 86_400_000;

/**
 * Issue 15, req. 4 and 6: the owner tells the planner a sentence, confirms the proposed constraint, plans,
 * and the plan honours it; a late job is explained; the AI activity lists the requests; with AI switched
 * off the box and the button are gone and the AI route refuses.
 */
describe.runIf(runnable)("steering the planner in the browser", () => {
  let host: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
    context = await browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  const open = (path: string) => gotoHydrated(page, `${host.webUrl}${path}`);
  const db = () => host.runtime.db;

  async function createJob(title: string, due: string, printMinutes: number): Promise<string> {
    await open("/org/jobs/new");
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Start as").selectOption("approved");
    await page.getByLabel("Due date").fill(due);
    await page.locator("select[name=customerId]").selectOption({ index: 1 });
    await page.getByLabel("Item 1 description").fill(title);
    await page.getByLabel("Item 1 quantity").fill("1");
    await page.getByLabel("Item 1 unit price").fill("40");
    await page.getByLabel("Item 1 print minutes").fill(String(printMinutes));
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL((u) => /^\/org\/jobs\/job_/.test(u.pathname));
    return new URL(page.url()).pathname.split("/").pop() ?? "";
  }

  /** The proposed start of a job on the plan page (its accept checkbox carries job|printer|start|end). */
  async function proposedStart(jobId: string): Promise<number> {
    const value = await page.locator(`input[name=assignment][value^="${jobId}|"]`).getAttribute("value");
    return Number(value?.split("|")[2]);
  }

  it("turns a sentence into a constraint the owner confirms, plans with it, explains a late job, and records each request", async () => {
    await open("/sign-in");
    await page.getByLabel("Email").fill(DEMO_USERS.northsideOwner.email);
    await page.getByLabel("Password").fill(DEMO_USERS.northsideOwner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));

    const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
    const steerId = await createJob("Steer bracket", inDays(20), 60);
    await createJob("Late lattice", inDays(0), 3000);
    const { number } = await db()
      .selectFrom("job")
      .select("number")
      .where("id", "=", steerId)
      .executeTakeFirstOrThrow();

    await open("/org/schedule/plan");
    const before = await proposedStart(steerId);
    // Three days after where the planner would put it: the constraint must move it.
    const notBefore = new Date(before + 3 * DAY).toISOString().slice(0, 10);

    await page.getByLabel("Your instruction").fill(`#${number} not before ${notBefore}`);
    await page.getByRole("button", { name: "Propose constraints" }).click();
    const proposed = page.getByTestId("proposed-constraints");
    const box = proposed.getByRole("checkbox", { name: /Steer bracket does not start before/ });
    await box.waitFor();
    const constraint = JSON.parse((await box.getAttribute("value")) ?? "{}") as { kind: string; at: string };
    expect(constraint.kind).toBe("not_before");
    const at = Date.parse(constraint.at);
    expect(before).toBeLessThan(at);
    // Proposed, not planned: nothing changed yet.
    const still = await db()
      .selectFrom("job")
      .select("status")
      .where("id", "=", steerId)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe("approved");

    await proposed.getByRole("button", { name: "Plan with these" }).click();
    await page.waitForURL((u) => u.pathname === "/org/schedule/plan" && u.searchParams.has("c"));
    await page
      .getByTestId("steering-in-use")
      .getByText(/Steer bracket does not start before/)
      .waitFor();
    expect(await proposedStart(steerId)).toBeGreaterThanOrEqual(at);
    // Moving scheduled jobs too, and back, keeps the confirmed steering.
    await page.getByRole("link", { name: "Also move scheduled jobs" }).click();
    await page.waitForURL((u) => u.searchParams.get("moves") === "1");
    expect(new URL(page.url()).searchParams.has("c")).toBe(true);
    await page
      .getByTestId("steering-in-use")
      .getByText(/Steer bracket does not start before/)
      .waitFor();
    await page.getByRole("link", { name: "Keep scheduled jobs where they are" }).click();
    await page.waitForURL((u) => !u.searchParams.has("moves"));
    expect(new URL(page.url()).searchParams.has("c")).toBe(true);

    // Why is the lattice late? The AI says it in words, from the planner's facts.
    const lateItem = page.getByRole("region", { name: "Late jobs and why" }).getByRole("listitem").filter({
      hasText: "Late lattice",
    });
    await lateItem.getByRole("button", { name: "Why is this late?" }).click();
    await lateItem
      .getByTestId("late-explanation")
      .getByText(/Late lattice is planned to finish/)
      .waitFor();

    await page.getByRole("button", { name: "Accept the checked jobs" }).click();
    await page.waitForURL((u) => u.pathname === "/org/schedule" && u.searchParams.has("planned"));
    const scheduled = await db()
      .selectFrom("job")
      .select(["status", "scheduledStartAt"])
      .where("id", "=", steerId)
      .executeTakeFirstOrThrow();
    expect(scheduled.status).toBe("scheduled");
    expect(scheduled.scheduledStartAt?.getTime()).toBeGreaterThanOrEqual(at);

    // The owner sees both requests in the AI activity, linked from the settings.
    await open("/org/settings");
    await page.getByRole("link", { name: /AI activity/ }).click();
    await page.waitForURL((u) => u.pathname === "/org/ai-activity");
    const rows = page.getByTestId("ai-request");
    await rows.filter({ hasText: "Planner steering" }).first().waitFor();
    await rows.filter({ hasText: "Late-job explanation" }).first().waitFor();
    expect(await rows.filter({ hasText: "instruction sentence" }).count()).toBeGreaterThan(0);
  });

  it("fits a 390 px phone in dark mode", async () => {
    const phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
    });
    await phoneContext.addCookies(await context.cookies());
    const phone = await phoneContext.newPage();
    phone.setDefaultTimeout(20_000);
    for (const path of ["/org/schedule/plan", "/org/ai-activity", "/org/settings", "/account/privacy"]) {
      await gotoHydrated(phone, `${host.webUrl}${path}`);
      const [width, dark] = await phone.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.classList.contains("dark"),
      ]);
      expect([path, Number(width) <= 390, dark]).toEqual([path, true, true]);
    }
    await phone.getByRole("heading", { name: "AI requests made for you" }).waitFor();
    await phoneContext.close();
  });

  it("with AI switched off for the shop, offers no box or button, and the AI route refuses without a request", async () => {
    await open("/org/settings");
    await page.getByRole("button", { name: "Switch AI off" }).click();
    await page.getByTestId("ai-switch-state").getByText("switched off").waitFor();
    const recorded = async () =>
      (
        await db()
          .selectFrom("aiRequestLog")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n;
    const count = Number(await recorded());

    await open("/org/schedule/plan");
    await page.getByRole("heading", { name: "Proposed timeline" }).waitFor();
    expect(await page.getByRole("heading", { name: "Tell the planner…" }).count()).toBe(0);
    // The planner works the same: the late lattice is listed with the planner's own reason, no AI button.
    const late = page.getByRole("region", { name: "Late jobs and why" });
    await late.getByText(/Late lattice/).waitFor();
    expect(await page.getByRole("button", { name: "Why is this late?" }).count()).toBe(0);

    const refused = await page.request.post(`${host.webUrl}/org/schedule/plan/ai`, {
      headers: { Origin: host.webUrl },
      form: { intent: "steer", sentence: "do the Acme order first" },
    });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain("switched off");
    expect(Number(await recorded())).toBe(count);

    await open("/org/settings");
    await page.getByRole("button", { name: "Switch AI on" }).click();
    await page.getByTestId("ai-switch-state").getByText("switched on").waitFor();
  });
});
