import { createRequire } from "node:module";
import { newId } from "@ktizo/db";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startQueue, startTestHost } from "@ktizo/runtime/testing";
import { isTestModePayments } from "@ktizo/services";
import { browserUnavailableReason, gotoHydrated, hostedBrowserWorld, requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const runnable = requireOrSkip(
  "admin console browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/**
 * The platform team's morning (issue 16, req. 10): an admin finds an order and refunds half of it,
 * replays a failed webhook, retries a failed job, unlists a shop, and finds each action in the audit
 * log; every new page passes axe in light and dark and fits a 390 px phone.
 */
describe.runIf(runnable)("admin console runs the platform", () => {
  const world = hostedBrowserWorld(() => startTestHost());
  let boss: Awaited<ReturnType<typeof startQueue>>;
  let orderId = "";
  let orderNumber = 0;
  let jobId = "";
  let shopId = "";

  beforeAll(async () => {
    const db = world.host.runtime.db;
    const payments = world.host.runtime.services.payments;
    if (!isTestModePayments(payments)) throw new Error("expected test-mode payments");
    const shop = await db
      .selectFrom("organization")
      .select("id")
      .where("slug", "=", "northside-print-lab")
      .executeTakeFirstOrThrow();
    shopId = shop.id;
    // A paid order whose (simulated) payment the payments service holds, as checkout leaves it.
    const order = await db
      .insertInto("marketplaceOrder")
      .values({
        id: newId("ord"),
        organizationId: shop.id,
        checkoutId: newId("chk"),
        status: "paid",
        currency: "USD",
        subtotalMinor: 8000,
        shippingMinor: 0,
        taxMinor: 0,
        totalMinor: 8000,
        capturedMinor: 8000,
        shippingOption: JSON.stringify({ name: "Pickup", priceMinor: 0, days: null }),
        shippingAddress: JSON.stringify({
          name: "Erin Endtoend",
          line1: "1 Main St",
          line2: null,
          city: "Portland",
          postalCode: "97201",
          region: null,
          country: "US",
        }),
        customerName: "Erin Endtoend",
        customerEmail: "erin.endtoend@example.com",
        guestAccessToken: "e2e-guest-token-0123456789abcdef",
        paidAt: new Date(),
      })
      .returning(["id", "number"])
      .executeTakeFirstOrThrow();
    orderId = order.id;
    orderNumber = order.number;
    const { sessionId } = await payments.createCheckout({
      orderId,
      amountMinor: 8000,
      currency: "usd",
      successUrl: `${world.host.webUrl}/ok`,
      cancelUrl: `${world.host.webUrl}/cancel`,
      idempotencyKey: `checkout-${orderId}`,
    });
    await payments.completeCheckout(sessionId);
    const paymentIntentId = (await payments.getTestSession(sessionId))?.paymentIntentId ?? null;
    await db
      .updateTable("marketplaceOrder")
      .set({ checkoutSessionId: sessionId, paymentIntentId })
      .where("id", "=", orderId)
      .execute();
    // A dispute webhook that failed when it arrived (its verified event is kept for a replay).
    await db
      .insertInto("webhookEvent")
      .values({
        id: newId("whe"),
        provider: "stripe",
        eventId: "evt_e2e_dispute",
        eventType: "charge.dispute.created",
        signature: "valid",
        outcome: "failed",
        error: "connection terminated unexpectedly",
        event: JSON.stringify({
          id: "evt_e2e_dispute",
          type: "charge.dispute.created",
          created: new Date().toISOString(),
          account: null,
          livemode: false,
          data: {
            id: "dp_e2e",
            payment_intent: paymentIntentId,
            amount: 8000,
            currency: "usd",
            reason: "fraudulent",
            status: "needs_response",
            evidence_details: { due_by: Math.floor(Date.now() / 1000) + 7 * 86_400 },
          },
        }),
      })
      .execute();
    // A background job that failed.
    boss = await startQueue(world.host.runtime.handle, { schedule: false, supervise: false });
    await boss.createQueue("e2e-export", { name: "e2e-export", retryLimit: 0 });
    jobId = (await boss.send("e2e-export", { run: 1 })) ?? "";
    await boss.fetch("e2e-export");
    await boss.fail("e2e-export", jobId, { message: "disk full" });
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
  });

  it("refunds half an order, replays a failed webhook, retries a failed job, unlists a shop, and audits each", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.admin, {}, world.host.adminUrl);

    // The order, found by the customer's name; half of it refunded with a reason.
    await gotoHydrated(page, `${world.host.adminUrl}/orders`);
    await page.getByLabel("Number or customer").fill("Erin Endtoend");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: `#${orderNumber}` }).click();
    await page.getByRole("heading", { level: 1, name: `Order #${orderNumber}` }).waitFor();
    await page.getByLabel("Amount (USD)").fill("40.00");
    await page.getByLabel("Reason").fill("Half the parts arrived cracked");
    await page.getByRole("button", { name: "Confirm: refund" }).click();
    await page.getByRole("status").filter({ hasText: "The refund went through" }).waitFor();
    const order = await world.host.runtime.db
      .selectFrom("marketplaceOrder")
      .select(["refundedMinor", "status"])
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({ refundedMinor: 4000, status: "paid" });

    // The failed webhook, replayed: the dispute now shows on the order.
    await gotoHydrated(page, `${world.host.adminUrl}/webhooks?outcome=failed`);
    await page.getByText("connection terminated unexpectedly").waitFor();
    await page.getByRole("button", { name: "Replay evt_e2e_dispute" }).click();
    await page.getByRole("status").filter({ hasText: "Replayed: applied." }).waitFor();
    await gotoHydrated(page, `${world.host.adminUrl}/orders/${orderId}`);
    await page.getByRole("table", { name: "Disputes" }).getByText("needs response").waitFor();

    // The failed job, retried.
    await gotoHydrated(page, `${world.host.adminUrl}/jobs?state=failed&queue=e2e-export`);
    await page.getByText("disk full").waitFor();
    await page.getByRole("button", { name: `Retry job ${jobId}` }).click();
    await page.getByRole("status").filter({ hasText: "The job will run again." }).waitFor();
    expect((await boss.getJobById("e2e-export", jobId))?.state).toBe("retry");

    // The shop, unlisted with a reason.
    await gotoHydrated(page, `${world.host.adminUrl}/shops?q=northside`);
    await page.getByRole("link", { name: "Northside Print Lab" }).click();
    await page.getByLabel("Reason (emailed to the shop)").fill("Listing photos show weapons parts");
    await page.getByRole("button", { name: "Confirm: unlist the shop" }).click();
    await page.getByRole("status").filter({ hasText: "The shop is unlisted" }).waitFor();
    const settings = await world.host.runtime.db
      .selectFrom("shopSettings")
      .select(["listed", "moderationHoldReason"])
      .where("organizationId", "=", shopId)
      .executeTakeFirstOrThrow();
    expect(settings).toEqual({ listed: false, moderationHoldReason: "Listing photos show weapons parts" });

    // Each action, in the audit log.
    await gotoHydrated(
      page,
      `${world.host.adminUrl}/audit?actor=${encodeURIComponent(DEMO_USERS.admin.email)}&action=admin.`,
    );
    const table = page.getByRole("table", { name: "Audit log" });
    for (const action of [
      "admin.order.refunded",
      "admin.webhook.replayed",
      "admin.job.retried",
      "admin.shop.unlisted",
    ]) {
      await table.getByRole("cell", { name: action, exact: true }).waitFor();
    }
    const csv = await page.request.get(
      `${world.host.adminUrl}/audit.csv?actor=${encodeURIComponent(DEMO_USERS.admin.email)}&action=admin.`,
    );
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain("admin.shop.unlisted");
    await context.close();
  });

  it("asks for the password again before a refund when the sign-in is older than 15 minutes", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.admin, {}, world.host.adminUrl);
    const admin = await world.host.runtime.db
      .selectFrom("user")
      .select("id")
      .where("email", "=", DEMO_USERS.admin.email)
      .executeTakeFirstOrThrow();
    await world.host.runtime.db
      .updateTable("session")
      .set({ createdAt: new Date(Date.now() - 20 * 60_000) })
      .where("userId", "=", admin.id)
      .execute();
    await gotoHydrated(page, `${world.host.adminUrl}/orders/${orderId}`);
    await page.getByLabel("Amount (USD)").fill("10.00");
    await page.getByLabel("Reason").fill("Late delivery");
    // The summary of the effect stands beside the button.
    await page.getByText("It cannot be undone.").waitFor();
    await page.getByRole("button", { name: "Confirm: refund" }).click();
    await page
      .getByText("That password is not right")
      .or(page.getByText("Enter your password again"))
      .first()
      .waitFor();
    const before = await world.host.runtime.db
      .selectFrom("marketplaceOrder")
      .select("refundedMinor")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    await page.getByLabel("Your password").fill(DEMO_USERS.admin.password);
    await page.getByLabel("Amount (USD)").fill("10.00");
    await page.getByLabel("Reason").fill("Late delivery");
    await page.getByRole("button", { name: "Confirm: refund" }).click();
    await page.getByRole("status").filter({ hasText: "The refund went through" }).waitFor();
    const after = await world.host.runtime.db
      .selectFrom("marketplaceOrder")
      .select("refundedMinor")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(after.refundedMinor - before.refundedMinor).toBe(1000);
    await context.close();
  });

  it("passes axe in light and dark on each new page and fits a 390 px phone", async () => {
    const found: Record<string, string[]> = {};
    const wide: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      const { context, page } = await world.signedIn(
        DEMO_USERS.admin,
        { colorScheme, viewport: { width: 390, height: 844 } },
        world.host.adminUrl,
      );
      for (const path of [
        "/",
        "/?bucket=week",
        "/orders",
        `/orders/${orderId}`,
        "/shops",
        `/shops/${shopId}`,
        "/webhooks",
        "/jobs",
        "/audit",
      ]) {
        await gotoHydrated(page, `${world.host.adminUrl}${path}`);
        expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
          colorScheme === "dark",
        );
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) wide.push(`${colorScheme} ${path}: ${width}px`);
        await page.addScriptTag({ path: AXE });
        found[`${colorScheme} ${path}`] = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run: (
                  ctx: Document,
                  o: object,
                ) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
              };
            }
          ).axe;
          const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
          return result.violations.map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        });
      }
      await context.close();
    }
    expect(wide).toEqual([]);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((path) => [path, []])));
  });
});
