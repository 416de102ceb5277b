import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "money and time zone browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/**
 * A yen shop in Auckland, worked from a browser in New York: the amount typed is stored and shown in yen
 * (no cents), and due dates and slots mean Auckland wall-clock time on the page and in the database,
 * around midnight, with no hydration error in the production build.
 */
describe.runIf(runnable)("money in the currency's digits, times in the shop's zone", () => {
  let host: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
    const shop = host.demo.shops.find((s) => s.slug === "northside-print-lab");
    if (!shop) throw new Error("the demo shop is missing");
    await host.runtime.db
      .updateTable("organizationProfile")
      .set({ currency: "JPY", country: "NZ" })
      .where("organizationId", "=", shop.organizationId)
      .execute();
    await host.runtime.db
      .updateTable("shopSettings")
      .set({ timezone: "Pacific/Auckland" })
      .where("organizationId", "=", shop.organizationId)
      .execute();
    context = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York" });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await host?.close();
  });

  const open = async (path: string) => {
    await page.goto(`${host.webUrl}${path}`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  };

  const signIn = async (who: { email: string; password: string }) => {
    await open("/sign-in");
    await page.getByLabel("Email").fill(who.email);
    await page.getByLabel("Password").fill(who.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  };

  it("stores and shows a yen price as yen and an Auckland due date and slot as Auckland time", async () => {
    await signIn(DEMO_USERS.northsideOwner);

    await open("/org/jobs/new");
    await page.getByLabel("Title").fill("Yen gears");
    await page.getByLabel("Start as").selectOption("approved");
    await page.getByLabel("Due date").fill("2026-12-09");
    await page.locator("select[name=customerId]").selectOption({ index: 1 });
    await page.getByLabel("Item 1 description").fill("Gear");
    await page.getByLabel("Item 1 quantity").fill("2");
    expect(await page.getByLabel("Item 1 unit price").getAttribute("placeholder")).toBe("0");
    await page.getByLabel("Item 1 unit price").fill("¥1,200");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL((u) => /^\/org\/jobs\/job_/.test(u.pathname) && u.searchParams.has("created"));
    const jobId = new URL(page.url()).pathname.split("/").pop() ?? "";

    // Stored in yen (no minor unit), due at the end of 9 December in Auckland (17:00 NZDT = 04:00 UTC).
    const stored = await host.runtime.db
      .selectFrom("job")
      .innerJoin("jobItem", "jobItem.jobId", "job.id")
      .select(["job.totalMinor", "job.currency", "job.dueAt", "jobItem.unitPriceMinor"])
      .where("job.id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      totalMinor: 2400,
      currency: "JPY",
      dueAt: new Date("2026-12-09T04:00:00Z"),
      unitPriceMinor: 1200,
    });
    await page.getByText("¥2,400").first().waitFor();
    await page.getByText("Due Dec 9, 2026").waitFor();
    expect(await page.locator('input[name="dueAt"]').inputValue()).toBe("2026-12-09");

    // Half past midnight on the 8th in Auckland is still the 7th in UTC (and in New York).
    await page.getByLabel("Printer", { exact: true }).selectOption({ index: 1 });
    await page.getByLabel("Start (Pacific/Auckland)").fill("2026-12-08T00:30");
    await page.getByLabel("Duration in minutes").fill("60");
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.getByText(/Scheduled on .+, Dec 8, 2026, 12:30\sAM to Dec 8, 2026, 1:30\sAM\./).waitFor();
    const slot = await host.runtime.db
      .selectFrom("job")
      .select("scheduledStartAt")
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(slot.scheduledStartAt).toEqual(new Date("2026-12-07T11:30:00Z"));
    expect(await page.getByLabel("Start (Pacific/Auckland)").inputValue()).toBe("2026-12-08T00:30");

    // The jobs list shows the same, and the server render agrees with the browser (no hydration error).
    await open("/org/jobs");
    const row = page.getByRole("row").filter({ hasText: "Yen gears" });
    await row.getByText("¥2,400").waitFor();
    await row.getByText("Dec 9, 2026").waitFor();

    // A page of the person, not the shop: rendered in UTC (labelled), then in the browser's own zone.
    const served = await (await page.request.get(`${host.webUrl}/account/sessions`)).text();
    expect(served).toMatch(/last active (<!-- -->)?[^<]+ UTC/);
    await open("/account/sessions");
    await page
      .getByText(/last active/)
      .first()
      .waitFor();
    await expect.poll(() => page.locator("main").textContent()).not.toContain(" UTC");
    expect(problems).toEqual([]);
  });

  it("stores and shows a dinar rate with its three decimals", async () => {
    const shop = host.demo.shops.find((s) => s.slug === "resin-works-berlin");
    if (!shop) throw new Error("the second demo shop is missing");
    await host.runtime.db
      .updateTable("organizationProfile")
      .set({ currency: "KWD", country: "KW" })
      .where("organizationId", "=", shop.organizationId)
      .execute();
    // Leave the workspace first: its notifications menu polls, and would poll once without a session.
    await page.goto("about:blank");
    await context.clearCookies();
    await signIn(DEMO_USERS.resinOwner);
    await open("/org/printers");
    const printer = await host.runtime.db
      .selectFrom("printer")
      .select(["id", "name"])
      .where("organizationId", "=", shop.organizationId)
      .orderBy("name")
      .executeTakeFirstOrThrow();
    await open(`/org/printers?edit=${printer.id}`);
    await page.getByLabel("Hourly rate (KWD)").fill("1.250");
    await page.getByRole("button", { name: "Save printer" }).click();
    await page.getByText("Printer saved.").waitFor();
    const stored = await host.runtime.db
      .selectFrom("printer")
      .select("hourlyRateMinor")
      .where("id", "=", printer.id)
      .executeTakeFirstOrThrow();
    expect(stored.hourlyRateMinor).toBe(1250);
    await page.getByRole("row").filter({ hasText: printer.name }).getByText("KWD\u00a01.250/h").waitFor();
    await open(`/org/printers?edit=${printer.id}`);
    expect(await page.getByLabel("Hourly rate (KWD)").inputValue()).toBe("1.250");
    expect(problems).toEqual([]);
  });
});
