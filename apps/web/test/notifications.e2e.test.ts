import { newId } from "@ktizo/db";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { browserUnavailableReason, requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";
import { browserWorld } from "./browser-steps.ts";

const runnable = requireOrSkip(
  "notifications browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

// The header's notifications menu is an interactive component on @trpc/react-query over /api/trpc.
describe.runIf(runnable)("notifications menu", () => {
  const world = browserWorld();

  it("shows unread order notifications and marks them read through /api/trpc", async () => {
    const customer = DEMO_USERS.customer;
    const userId = world.host.demo.users.customer;
    await world.host.runtime.db
      .insertInto("customerNotification")
      .values({
        id: newId("cno"),
        userId,
        orderId: null,
        title: "Your order has shipped",
        body: "Tracking 1Z999",
      })
      .execute();

    const { context, page } = await world.signedIn(customer);

    const trpcCalls: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/trpc/")) trpcCalls.push(new URL(r.url()).pathname);
    });
    const menu = page.getByRole("button", { name: /^Notifications/ });
    await expect.poll(() => menu.textContent()).toContain("1 unread");
    await menu.click();
    await page.getByText("Your order has shipped").waitFor();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect.poll(() => menu.textContent()).toBe("Notifications");
    expect(trpcCalls.some((p) => p.includes("marketplace.notifications.markRead"))).toBe(true);

    const rows = await world.host.runtime.db
      .selectFrom("customerNotification")
      .select("readAt")
      .where("userId", "=", userId)
      .execute();
    expect(rows.every((r) => r.readAt !== null)).toBe(true);
    await context.close();
  });
});
