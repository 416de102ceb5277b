import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { browserUnavailableReason, requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";
import { browserWorld } from "./browser-steps.ts";

const runnable = requireOrSkip(
  "shop cancellation browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

const SLUG = "northside-print-lab";

describe.runIf(runnable)("cancelling a shop with a 30-day grace period in a real browser (P21)", () => {
  const world = browserWorld();

  const shopPageStatus = async () => (await fetch(`${world.host.webUrl}/shops/${SLUG}`)).status;

  it("the owner cancels (the shop leaves the marketplace at once), the member sees it, the owner undoes it", async () => {
    expect(await shopPageStatus()).toBe(200);
    const { context: ownerContext, page: owner } = await world.signedIn(DEMO_USERS.northsideOwner);
    await owner.goto(`${world.host.webUrl}/org/settings`);
    await owner.locator("html[data-hydrated]").waitFor();
    const danger = owner.getByRole("region", { name: "Danger zone" });
    const confirm = danger.getByLabel(`Type the shop's URL name (${SLUG}) to confirm`);
    // A wrong name changes nothing.
    await confirm.fill("northside");
    await danger.getByRole("button", { name: "Cancel shop" }).click();
    await owner.getByText(`Type ${SLUG} to confirm`).waitFor();
    expect(await shopPageStatus()).toBe(200);

    await confirm.fill(SLUG);
    await danger.getByRole("button", { name: "Cancel shop" }).click();
    await owner.getByText("This shop is scheduled for deletion").waitFor();
    expect(await owner.getByRole("region", { name: "Danger zone" }).count()).toBe(0);
    expect(await shopPageStatus()).toBe(404);

    // A member of the shop sees it, and cannot undo it.
    const { context: memberContext, page: member } = await world.signedIn(DEMO_USERS.northsideMember);
    await member.goto(`${world.host.webUrl}/org/settings`);
    await member.getByText("This shop is scheduled for deletion").waitFor();
    await member.getByText("Only the shop's owner can undo this.").waitFor();
    expect(await member.getByRole("button", { name: "Undo cancellation" }).count()).toBe(0);
    // Every member was told by a service email.
    const mails = await world.host.runtime.db
      .selectFrom("outboxMessage")
      .select("recipient")
      .where("template", "=", "shop-deletion-scheduled")
      .execute();
    expect(mails.map((m) => m.recipient).sort()).toEqual(
      [DEMO_USERS.northsideMember.email, DEMO_USERS.northsideOwner.email].sort(),
    );

    await owner.getByRole("button", { name: "Undo cancellation" }).click();
    await owner.getByRole("region", { name: "Danger zone" }).waitFor();
    expect(await owner.getByText("This shop is scheduled for deletion").count()).toBe(0);
    expect(await shopPageStatus()).toBe(200);
    await member.reload();
    await member.locator("html[data-hydrated]").waitFor();
    expect(await member.getByText("This shop is scheduled for deletion").count()).toBe(0);
    await ownerContext.close();
    await memberContext.close();
  });
});
