import { createRequire } from "node:module";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { browserUnavailableReason, requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";
import { browserWorld } from "./browser-steps.ts";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const runnable = requireOrSkip(
  "web members browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("members, invitations and sessions in a real browser", () => {
  const world = browserWorld();

  it("an invited customer accepts, joins with the invited role, and the owner changes it", async () => {
    const { context: ownerContext, page: owner } = await world.signedIn(DEMO_USERS.northsideOwner);
    const invitee = DEMO_USERS.customer;
    await owner.goto(`${world.host.webUrl}/org/members`);
    await owner.getByLabel("Email address").fill(invitee.email);
    await owner.getByRole("button", { name: "Send invitation" }).click();
    await owner
      .getByRole("status")
      .filter({ hasText: `Invitation sent to ${invitee.email}` })
      .waitFor();
    const { id } = await world.host.runtime.db
      .selectFrom("invitation")
      .select("id")
      .where("email", "=", invitee.email)
      .executeTakeFirstOrThrow();

    // The invitee opens the link, is asked to sign in first, and comes back to it.
    const { context: inviteeContext, page } = await world.signedIn(invitee);
    await page.goto(`${world.host.webUrl}/invitations/${id}`);
    await page.getByRole("heading", { level: 1, name: "Join Northside Print Lab" }).waitFor();
    await page.getByRole("button", { name: "Accept and join" }).click();
    await page.waitForURL(`${world.host.webUrl}/org`);
    await page.getByText("Northside Print Lab").first().waitFor();

    // The owner sees the new member and makes them an admin.
    await owner.reload();
    const row = owner.getByRole("row").filter({ hasText: invitee.email });
    expect(await row.getByText("member", { exact: true }).count()).toBe(1);
    await row.getByLabel(`Role of ${invitee.name}`).selectOption("admin");
    await row.getByRole("button", { name: `Change role of ${invitee.name}` }).click();
    await owner.getByRole("status").filter({ hasText: "The role is changed." }).waitFor();
    const member = await world.host.runtime.db
      .selectFrom("member")
      .innerJoin("user", "user.id", "member.userId")
      .select("member.role")
      .where("user.email", "=", invitee.email)
      .executeTakeFirstOrThrow();
    expect(member.role).toBe("admin");

    // A used invitation cannot be answered again.
    await page.goto(`${world.host.webUrl}/invitations/${id}`);
    await page.getByText("You already accepted this invitation.").waitFor();
    expect(await page.getByRole("button", { name: "Accept and join" }).count()).toBe(0);
    await Promise.all([ownerContext.close(), inviteeContext.close()]);
  });

  it("an invited person without an account signs up from the invitation link and comes back to it", async () => {
    const { context: ownerContext, page: owner } = await world.signedIn(DEMO_USERS.northsideOwner);
    const email = "first.timer@example.com";
    await owner.goto(`${world.host.webUrl}/org/members`);
    await owner.getByLabel("Email address").fill(email);
    await owner.getByRole("button", { name: "Send invitation" }).click();
    await owner
      .getByRole("status")
      .filter({ hasText: `Invitation sent to ${email}` })
      .waitFor();
    const { id } = await world.host.runtime.db
      .selectFrom("invitation")
      .select("id")
      .where("email", "=", email)
      .executeTakeFirstOrThrow();

    // The link asks a stranger to sign in; "Create an account" keeps the invitation as where to go next.
    const context = await world.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${world.host.webUrl}/invitations/${id}`);
    await page.waitForURL((u) => u.pathname === "/sign-in");
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(
      (u) => u.pathname === "/sign-up" && u.searchParams.get("redirectTo") === `/invitations/${id}`,
    );
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.getByLabel("Full name").fill("First Timer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
    await page.getByLabel("Country").selectOption("US");
    await page.getByLabel(/I am (13|16) or older/).check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL((u) => u.pathname === "/verify-email" && u.searchParams.get("sent") === "1");
    const mail = await world.host.runtime.db
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("recipient", "=", email)
      .where("template", "=", "verify-email")
      .executeTakeFirstOrThrow();
    await page.goto(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(mail.bodyText ?? "")?.[0] ?? "");
    await page.getByRole("link", { name: "Continue where you left off" }).click();
    await page.waitForURL(`${world.host.webUrl}/invitations/${id}`);
    await page.getByRole("heading", { level: 1, name: "Join Northside Print Lab" }).waitFor();
    await page.getByRole("button", { name: "Accept and join" }).click();
    await page.waitForURL(`${world.host.webUrl}/org`);
    const joined = await world.host.runtime.db
      .selectFrom("member")
      .innerJoin("user", "user.id", "member.userId")
      .select("member.role")
      .where("user.email", "=", email)
      .executeTakeFirstOrThrow();
    expect(joined.role).toBe("member");
    await Promise.all([ownerContext.close(), context.close()]);
  });

  it("signs out the other sessions from /account/sessions", async () => {
    const user = DEMO_USERS.resinOwner;
    const { context: laptopContext, page: laptop } = await world.signedIn(user);
    const { context: phoneContext, page: phone } = await world.signedIn(user);
    await laptop.goto(`${world.host.webUrl}/account/sessions`);
    expect(await laptop.getByRole("button", { name: /^Sign out Chrome on/ }).count()).toBe(2);
    await laptop.getByRole("button", { name: "Sign out all other sessions" }).click();
    await laptop.getByRole("status").filter({ hasText: "Your other sessions are signed out." }).waitFor();
    // The list revalidates after the message shows; wait for it rather than read it once.
    await expect.poll(() => laptop.getByRole("button", { name: /^Sign out Chrome on/ }).count()).toBe(1);

    await phone.goto(`${world.host.webUrl}/account`);
    expect(new URL(phone.url()).pathname).toBe("/sign-in");
    await laptop.goto(`${world.host.webUrl}/account`);
    expect(new URL(laptop.url()).pathname).toBe("/account");
    await Promise.all([laptopContext.close(), phoneContext.close()]);
  });

  it("saves the profile and shows server errors beside the fields", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.northsideMember);
    await page.goto(`${world.host.webUrl}/account`);
    const profile = page.getByRole("region", { name: "Profile" });
    await profile.getByLabel("Full name").fill("");
    await profile.getByRole("button", { name: "Save profile" }).click();
    const error = profile.getByRole("alert").filter({ hasText: "Enter your name" });
    await error.waitFor();
    expect(await profile.getByLabel("Full name").getAttribute("aria-describedby")).toContain(
      await error.getAttribute("id"),
    );
    await profile.getByLabel("Full name").fill("Milo Maker-Smith");
    await profile.getByLabel("Country").selectOption("CA");
    await profile.getByRole("button", { name: "Save profile" }).click();
    await profile.getByRole("status").filter({ hasText: "Your profile is saved." }).waitFor();
    const saved = await world.host.runtime.db
      .selectFrom("user")
      .select(["name", "country"])
      .where("email", "=", DEMO_USERS.northsideMember.email)
      .executeTakeFirstOrThrow();
    expect(saved).toEqual({ name: "Milo Maker-Smith", country: "CA" });

    // A member sees the business details on the shop profile (their one place) but cannot change them.
    await page.goto(`${world.host.webUrl}/org/profile`);
    await page.getByLabel("Legal company name").waitFor();
    expect(await page.getByLabel("Legal company name").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Upload logo" }).count()).toBe(0);
    await context.close();
  });

  it("has no WCAG 2 A/AA violations (axe-core) on the account and workspace pages", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.northsideOwner);
    const found: Record<string, string[]> = {};
    for (const path of [
      "/account",
      "/account/sessions",
      "/org/new",
      "/org/members",
      "/org/settings",
      "/org/switch",
    ]) {
      await page.goto(`${world.host.webUrl}${path}`);
      await page.addScriptTag({ path: AXE });
      found[path] = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string }[] }> };
          }
        ).axe;
        const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
        return result.violations.map((v) => v.id);
      });
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((path) => [path, []])));
    await context.close();
  });
});
