import { readFileSync } from "node:fs";
import { newId } from "@ktizo/db";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { FAKE_GOOGLE_CODE, type FakeGoogle, startFakeGoogle } from "@ktizo/services/testing/google";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "./browser-steps.ts";

const runnable = requireOrSkip("inbox browser test", browserUnavailableReason() ?? appsNotBuiltReason());
const CLIENT = { clientId: "e2e-client.apps.googleusercontent.com", clientSecret: "e2e-client-secret" };
const PO_PDF = new URL(
  "../../../packages/services/src/ai/purchase-orders/pdf/01-email-table-usd.pdf",
  import.meta.url,
);

// Issue 13 on the production build, against a loopback Google that checks every request: the owner
// connects Gmail (state checked), a purchase-order email with a PDF becomes a draft job with evidence,
// the job is created only when confirmed, and the job's Drive folder holds its files.
describe.runIf(runnable)("the workspace inbox and Drive folder", () => {
  let host: TestHost;
  let browser: Browser;
  let page: Page;
  let fake: FakeGoogle;
  beforeAll(async () => {
    fake = await startFakeGoogle({ ...CLIENT, email: "owner@northside.gmail.test" });
    fake.deliver({
      threadId: "thread-po-88213",
      from: "Dana Whitfield <dana.whitfield@brightline-robotics.example>",
      to: "owner@northside.gmail.test",
      subject: "Purchase Order PO-88213 - RUSH",
      text: "Hi, our purchase order is attached. Dana",
      internalDate: Date.parse("2026-05-30T09:00:00Z"),
      attachment: {
        id: "att-po-88213",
        filename: "PO-88213.pdf",
        mimeType: "application/pdf",
        bytes: readFileSync(PO_PDF),
      },
    });
    [host, browser] = await Promise.all([
      startTestHost({
        GOOGLE_CLIENT_ID: CLIENT.clientId,
        GOOGLE_CLIENT_SECRET: CLIENT.clientSecret,
        GOOGLE_API_BASE_URL: fake.url,
        GOOGLE_OAUTH_BASE_URL: `${fake.url}/oauth`,
      }),
      launchBrowser(),
    ]);
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    await signIn(page, host.webUrl, DEMO_USERS.northsideOwner);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await fake?.close();
  });

  it("connects Gmail through the consent page; a forged state connects nothing", async () => {
    await gotoHydrated(page, `${host.webUrl}/org/inbox`);
    await page.getByRole("link", { name: "Connect Google" }).click();
    await page.getByRole("heading", { name: "What Ktizo asks Google for, and why" }).waitFor();
    await page.getByRole("button", { name: "Continue to Google" }).click();
    await page.waitForURL((url) => url.origin === fake.url);
    const consent = new URL(page.url());
    expect(consent.pathname).toBe("/oauth/auth");
    const state = consent.searchParams.get("state") ?? "";
    const redirectUri = consent.searchParams.get("redirect_uri") ?? "";
    expect(redirectUri).toBe(`${host.webUrl}/org/google/callback`);
    // A forged state (someone else's link) is refused and connects nothing.
    await page.goto(`${redirectUri}?state=forged-state-value-000000&code=${FAKE_GOOGLE_CODE}`);
    await page.getByText("could not be verified").waitFor();
    expect(await host.runtime.db.selectFrom("googleAccount").select("id").execute()).toEqual([]);
    // Google's real redirect carries the state of this browser's cookie... which the refusal cleared:
    // start again, and come back with the right state.
    await gotoHydrated(page, `${host.webUrl}/org/google/connect`);
    await page.getByRole("button", { name: "Continue to Google" }).click();
    await page.waitForURL((url) => url.origin === fake.url);
    const second = new URL(page.url()).searchParams.get("state") ?? "";
    expect(second).not.toBe(state);
    await page.goto(`${redirectUri}?state=${encodeURIComponent(second)}&code=${FAKE_GOOGLE_CODE}`);
    await page.waitForURL((url) => url.pathname === "/org/inbox");
    await page.getByText("Google connected.").waitFor();
  });

  it("a purchase-order email becomes a draft job with evidence, and is created only after confirmation", async () => {
    await gotoHydrated(page, `${host.webUrl}/org/inbox`);
    await page.getByRole("link", { name: /Purchase Order PO-88213/ }).click();
    await page.waitForURL((url) => url.searchParams.has("thread"));
    await page.getByRole("button", { name: "Draft a job" }).click();
    await page.getByRole("heading", { name: "Draft job from the purchase order" }).waitFor();
    const jobsBefore = await host.runtime.db.selectFrom("job").select("id").execute();
    expect(await page.getByText("PO Number: PO-88213").count()).toBeGreaterThan(0);
    expect(await page.getByText("Does not add up").count()).toBe(0);
    expect(await page.getByText("Adds up").count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByLabel("Item 1 quantity").inputValue()).toBe("24");
    expect(await page.getByLabel("Item 3 description").inputValue()).toBe("Sensor bracket (ABS)");
    // The page fits a phone (no sideways scrolling).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Nothing saved by drafting.
    expect(await host.runtime.db.selectFrom("job").select("id").execute()).toEqual(jobsBefore);
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/org/jobs/") && url.searchParams.has("created"));
    const jobId = new URL(page.url()).pathname.split("/").pop() ?? "";
    const job = await host.runtime.db
      .selectFrom("job")
      .select(["source", "title"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(job.source).toBe("email");
    expect(job.title).toContain("PO-88213");
    const link = await host.runtime.db
      .selectFrom("gmailThreadLink")
      .select("threadId")
      .where("jobId", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(link.threadId).toBe("thread-po-88213");
  });

  it("the job's Drive folder holds its files, and files added in Drive are listed back", async () => {
    const jobId = new URL(page.url()).pathname.split("/").pop() ?? "";
    const job = await host.runtime.db
      .selectFrom("job")
      .select(["organizationId", "number"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    const bytes = new TextEncoder().encode("solid gripper\nendsolid gripper\n");
    const stored = await host.runtime.services.storage.put({
      bytes,
      contentType: "model/stl",
      fileName: "gripper.stl",
    });
    await host.runtime.db
      .insertInto("jobFile")
      .values({
        id: newId("jfl"),
        organizationId: job.organizationId,
        jobId,
        kind: "model",
        storageKey: stored.key,
        fileName: "gripper.stl",
        contentType: "model/stl",
        sizeBytes: bytes.byteLength,
        analysis: null,
        uploadedBy: null,
      })
      .execute();
    await gotoHydrated(page, `${host.webUrl}/org/jobs/${jobId}`);
    const drive = page.getByRole("region", { name: "Drive folder" });
    await drive.getByRole("button", { name: "Create Drive folder" }).click();
    await drive.getByText(`JOB-${job.number} · `).waitFor();
    await drive.getByText("gripper.stl").waitFor();
    const folder = [...fake.drive.values()].find((f) => f.mimeType === "application/vnd.google-apps.folder");
    expect(folder?.name).toMatch(new RegExp(`^JOB-${job.number} · `));
    const uploaded = [...fake.drive.values()].find((f) => f.name === "gripper.stl");
    expect(uploaded?.parents).toEqual([folder?.id]);
    expect(uploaded?.body.toString()).toBe("solid gripper\nendsolid gripper\n");
    fake.drive.set("drive-added-drawing", {
      id: "drive-added-drawing",
      name: "drawing-rev-b.pdf",
      mimeType: "application/pdf",
      parents: [folder?.id ?? ""],
      body: Buffer.from("%PDF-1.4"),
    });
    await drive.getByRole("button", { name: "Sync with Drive" }).click();
    await drive.getByText("drawing-rev-b.pdf").waitFor();
    await drive.getByText("Added in Drive").waitFor();
    expect(fake.violations).toEqual([]);
  });
});
