import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "./browser-steps.ts";

const runnable = requireOrSkip(
  "conversation SMS browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/** A 1×1 PNG: the proof image the shop uploads. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const CUSTOMER_PHONE = "+447911123456";

describe.runIf(runnable)("issue 13: the shop texts a proof from the job, the customer replies YES", () => {
  let host: TestHost;
  let browser: Browser;
  let shopContext: BrowserContext;
  let adminContext: BrowserContext;
  let shop: Page;
  let admin: Page;
  let jobId = "";
  const url = (path: string) => `${host.webUrl}${path}`;
  const db = () => host.runtime.db;

  /** The page fits a phone: nothing wider than the viewport. */
  async function fitsPhone(page: Page) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  }

  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
    // The shop works on a phone, in dark mode.
    shopContext = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    shop = await shopContext.newPage();
    shop.setDefaultTimeout(20_000);
    adminContext = await browser.newContext();
    admin = await adminContext.newPage();
    admin.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await shopContext?.close();
    await adminContext?.close();
    await browser?.close();
    await host?.close();
  });

  it("sets the shop's SMS number and a 'proof ready' template", async () => {
    const owner = DEMO_USERS.northsideOwner;
    await signIn(shop, host.webUrl, owner);
    await gotoHydrated(shop, url("/org/settings/messages"));
    await shop.getByLabel("Shop's SMS number").fill("+1 415 555 2671");
    await shop.getByRole("button", { name: "Save SMS sender" }).click();
    await shop.getByText("SMS sender saved.").waitFor();
    await shop.locator("html[data-hydrated]").waitFor();
    await shop.getByLabel("Name", { exact: true }).fill("Proof ready");
    await shop
      .getByLabel("Message", { exact: true })
      .fill("Hi {customer_name}, proof ready for job {job_number}: {proof_link} Reply YES to approve.");
    await shop.getByRole("button", { name: "Add template" }).click();
    await shop.getByText("Template added.").waitFor();
    await fitsPhone(shop);
  });

  it("the shop records the customer's consent, adds a proof and texts the template from the job", async () => {
    await gotoHydrated(shop, url("/org/jobs/new"));
    await shop.getByLabel("Title").fill("Club trophies");
    await shop.getByLabel("New customer").check();
    await shop.getByLabel("Customer name").fill("Tess Texter");
    await shop.getByLabel("Customer email").fill("tess.texter@example.com");
    await shop.getByLabel("Customer phone").fill("+44 7911 123456");
    await shop.getByLabel("Item 1 description").fill("Trophy");
    await shop.getByLabel("Item 1 quantity").fill("3");
    await shop.getByLabel("Item 1 unit price").fill("15.00");
    await shop.getByLabel("Item 1 print minutes").fill("45");
    await shop.getByRole("button", { name: "Create job" }).click();
    await shop.waitForURL((u) => /^\/org\/jobs\/[^/]+$/.test(u.pathname) && u.searchParams.has("created"));
    jobId = new URL(shop.url()).pathname.split("/").pop() ?? "";
    await shop.locator("html[data-hydrated]").waitFor();

    // Without consent the text is refused, and the refusal is on the timeline.
    const reply = shop.getByRole("form", { name: "Reply to the customer" });
    await reply.getByLabel("Channel").selectOption("sms");
    await reply.getByLabel("Message", { exact: true }).fill("Hello from the shop");
    await reply.getByRole("button", { name: "Send" }).click();
    await shop
      .getByText(/has not agreed to receive texts/)
      .first()
      .waitFor();

    await shop.getByRole("link", { name: "Tess Texter" }).first().click();
    await shop.waitForURL((u) => u.pathname.startsWith("/org/customers/"));
    await shop.locator("html[data-hydrated]").waitFor();
    await shop.getByLabel("The customer agreed to receive texts").check();
    await shop.getByRole("button", { name: "Save customer" }).click();
    await shop.getByText("Customer saved.").waitFor();
    const customer = await db()
      .selectFrom("customer")
      .select(["phoneE164", "smsConsentAt", "smsConsentSource"])
      .where("name", "=", "Tess Texter")
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ phoneE164: CUSTOMER_PHONE, smsConsentSource: "staff" });
    expect(customer.smsConsentAt).not.toBeNull();

    await gotoHydrated(shop, url(`/org/jobs/${jobId}`));
    await shop.getByLabel("Kind of file").selectOption("proof");
    await shop.getByLabel("File", { exact: true }).setInputFiles({
      name: "trophy-proof.png",
      mimeType: "image/png",
      buffer: PNG,
    });
    await shop.getByRole("button", { name: "Upload file" }).click();
    await shop.waitForURL((u) => u.searchParams.has("uploaded"));
    await shop.locator("html[data-hydrated]").waitFor();
    await shop.getByLabel("Proof file").selectOption({ label: "trophy-proof.png (proof)" });
    await shop.getByRole("button", { name: "Add proof version" }).click();
    await shop.getByText("Proof added and emailed.").waitFor();
    await shop.locator("html[data-hydrated]").waitFor();

    await reply.getByLabel("Channel").selectOption("sms");
    await reply.getByLabel("Template").selectOption({ label: "Proof ready" });
    await reply.getByRole("button", { name: "Preview" }).click();
    await reply.getByText(/Hi Tess Texter, proof ready for job #\d+: \[link to proof 1\]/).waitFor();
    await shop.locator("html[data-hydrated]").waitFor();
    await reply.getByLabel("Channel").selectOption("sms");
    await reply.getByLabel("Template").selectOption({ label: "Proof ready" });
    await reply.getByRole("button", { name: "Send" }).click();
    await shop.getByText("Text sent.").waitFor();
    const timeline = shop.getByRole("list", { name: "Conversation timeline" });
    await timeline.getByText(/Hi Tess Texter, proof ready for job #\d+: http.*\/portal\//).waitFor();
    const outbox = await db()
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("recipient", "=", CUSTOMER_PHONE)
      .where("channel", "=", "sms")
      .execute();
    expect(outbox).toHaveLength(1);
    await fitsPhone(shop);
  });

  it("the admin console simulates the customer's YES; the timeline shows both and the proof is approved", async () => {
    await signIn(admin, host.adminUrl, DEMO_USERS.admin);
    await gotoHydrated(admin, `${host.adminUrl}/sms`);
    await admin.getByLabel("From (the customer's number)").fill(CUSTOMER_PHONE);
    await admin.getByLabel("To shop").selectOption({ label: "Northside Print Lab (+14155552671)" });
    await admin.getByLabel("Text").fill("YES");
    await admin.getByRole("button", { name: "Receive this text" }).click();
    await admin.getByText("applied: Proof 1 approved").waitFor();

    await gotoHydrated(shop, url(`/org/jobs/${jobId}`));
    const timeline = shop.getByRole("list", { name: "Conversation timeline" });
    await timeline.getByText("YES", { exact: true }).waitFor();
    await timeline.getByText(/proof ready for job #\d+/).waitFor();
    await timeline.getByText(/thank you, proof 1 of job #\d+ is approved/).waitFor();
    await shop.getByRole("table", { name: "Proof versions" }).getByText("Approved").waitFor();
    const proof = await db()
      .selectFrom("proof")
      .select(["status", "decidedMessageId"])
      .where("jobId", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(proof.status).toBe("approved");
    expect(proof.decidedMessageId).toMatch(/^msg_/);
    await fitsPhone(shop);
  });
});
