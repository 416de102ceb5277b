import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privacy } from "@ktizo/api";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "./browser-steps.ts";

const runnable = requireOrSkip(
  "data export browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("downloading my data in a real browser (P24, P27)", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it("the export is a zip with one JSON file per table, downloaded as an attachment", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, host.webUrl, DEMO_USERS.customer);
    await page.goto(`${host.webUrl}/account/privacy`);
    await page.locator("html[data-hydrated]").waitFor();
    await page.getByRole("button", { name: "Request my data" }).click();
    await page.getByText("We are preparing your data.").waitFor();

    // The background job, as the worker runs it.
    const runtime = host.runtime;
    await privacy.privacyExportJob.run(
      {},
      { db: runtime.db, services: runtime.services, clock: runtime.clock },
    );
    await page.reload();
    const link = page.getByRole("link", { name: /^Download/ });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^ktizo-data-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const file = join(mkdtempSync(join(tmpdir(), "ktizo-export-")), download.suggestedFilename());
    await download.saveAs(file);

    // A real zip: the system tool checks it and lists the per-table files.
    const listing = execFileSync("unzip", ["-l", file]).toString();
    for (const entry of [
      "export.json",
      "tables/user.json",
      "tables/session.json",
      "tables/privacy_request.json",
    ])
      expect(listing).toContain(entry);
    expect(execFileSync("unzip", ["-t", file]).toString()).toContain("No errors detected");
    const user = JSON.parse(execFileSync("unzip", ["-p", file, "tables/user.json"]).toString()) as {
      email: string;
    }[];
    expect(user.map((u) => u.email)).toEqual([DEMO_USERS.customer.email]);
    await context.close();
  });
});
