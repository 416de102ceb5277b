import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost } from "@ktizo/runtime/testing";
import {
  axeProblems,
  browserUnavailableReason,
  documentWidthProblems,
  fillSignIn,
  gotoHydrated,
  hostedBrowserWorld,
  requireOrSkip,
} from "@ktizo/testing";
import { beforeAll, describe, expect, it } from "vitest";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const runnable = requireOrSkip(
  "support view browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/**
 * Support view (issue 16, req. 8): the shop's owner grants support read-only access from the workspace;
 * the admin opens the shop's workspace from the admin console, sees the banner on every page, an edit is
 * refused (the page and the API), the shop sees every page viewed, and after revocation the view is gone.
 */
describe.runIf(runnable)("support view", () => {
  const world = hostedBrowserWorld(() => startTestHost());
  let shopId = "";

  beforeAll(async () => {
    shopId = (
      await world.host.runtime.db
        .selectFrom("organization")
        .select("id")
        .where("slug", "=", "northside-print-lab")
        .executeTakeFirstOrThrow()
    ).id;
  });

  it("owner grants, admin reads read-only, an edit is refused, the shop sees the log, revocation ends it", async () => {
    const { context: ownerContext, page: owner } = await world.signedIn(DEMO_USERS.northsideOwner);
    // From the workspace settings to the support access page; grant 24 hours.
    await gotoHydrated(owner, `${world.host.webUrl}/org/settings`);
    await owner.getByRole("link", { name: "support access page" }).click();
    await owner.getByRole("heading", { level: 1, name: "Support access" }).waitFor();
    await owner.getByText("Support cannot open your workspace.").waitFor();
    await owner.getByLabel("Grant access for").selectOption("24");
    await owner.getByRole("button", { name: "Grant read-only access" }).click();
    await owner.getByRole("status").filter({ hasText: "Support access is granted." }).waitFor();
    await owner.getByText("Support may open your workspace read-only until").waitFor();

    // The admin opens the shop's workspace from the admin console's shop page.
    const { context: adminContext, page: admin } = await world.signedIn(
      DEMO_USERS.admin,
      {},
      world.host.adminUrl,
    );
    await gotoHydrated(admin, `${world.host.adminUrl}/shops/${shopId}`);
    await admin.getByText(`${DEMO_USERS.northsideOwner.name} granted read-only access until`).waitFor();
    await admin.getByRole("link", { name: "Open the workspace read-only" }).click();
    await admin.waitForURL((url) => url.origin === world.host.webUrl);
    if (new URL(admin.url()).pathname === "/sign-in") {
      await fillSignIn(admin, DEMO_USERS.admin);
      await admin.waitForURL((url) => url.pathname.startsWith("/support/"));
    }
    await admin.getByRole("button", { name: "Open the workspace read-only" }).click();
    await admin.waitForURL((url) => url.pathname === "/org");
    const banner = admin.getByRole("region", { name: "Support view" });
    await banner.getByText("Support view — read only").waitFor();
    await banner.getByText(`granted by ${DEMO_USERS.northsideOwner.name} until`).waitFor();
    await admin.getByText("Northside Print Lab").first().waitFor();

    // Another page: the banner is there too, and an edit is refused.
    await gotoHydrated(admin, `${world.host.webUrl}/org/members`);
    await admin.getByRole("region", { name: "Support view" }).waitFor();
    await admin.getByLabel("Email address").fill("someone@example.com");
    await admin.getByRole("button", { name: "Send invitation" }).click();
    await admin.getByText("Support view is read only").waitFor();
    // The API refuses it too, whatever the page does.
    const trpc = await admin.request.post(`${world.host.webUrl}/api/trpc/account.members.invite`, {
      headers: { Origin: world.host.webUrl, "Content-Type": "application/json" },
      data: JSON.stringify({ json: { email: "someone@example.com", role: "member" } }),
    });
    expect(trpc.status()).toBe(403);
    expect(await trpc.text()).toContain("Support view is read only");
    const invitations = await world.host.runtime.db
      .selectFrom("invitation")
      .select("id")
      .where("email", "=", "someone@example.com")
      .execute();
    expect(invitations).toEqual([]);

    // The shop sees every page support viewed.
    await gotoHydrated(owner, `${world.host.webUrl}/org/support`);
    const log = owner.getByRole("region", { name: "Support access log" });
    await log.getByRole("cell", { name: "/org/members", exact: true }).first().waitFor();
    await log.getByRole("cell", { name: "Support opened the workspace" }).waitFor();
    await log.getByRole("cell", { name: DEMO_USERS.admin.name }).first().waitFor();

    // Both sides pass axe in light and dark at 390 px (the support page, the banner, the opening page).
    const found: Record<string, unknown[]> = {};
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [page, path] of [
        [owner, "/org/support"],
        [admin, "/org"],
        [admin, "/org/support"],
      ] as const) {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize({ width: 390, height: 844 });
        await gotoHydrated(page, `${world.host.webUrl}${path}`);
        found[`${colorScheme} ${page === owner ? "owner" : "admin"} ${path}`] = [
          ...(await documentWidthProblems(page)),
          ...(await axeProblems(page, AXE)),
        ];
      }
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));

    // The owner revokes: the admin's next page is not found.
    await gotoHydrated(owner, `${world.host.webUrl}/org/support`);
    await owner.getByRole("button", { name: "Revoke access now" }).click();
    await owner.getByRole("status").filter({ hasText: "Support access is revoked" }).waitFor();
    const gone = await admin.goto(`${world.host.webUrl}/org/jobs`);
    expect(gone?.status()).toBe(404);
    await gotoHydrated(admin, `${world.host.adminUrl}/shops/${shopId}`);
    await admin.getByText("The shop has not granted support access.").waitFor();
    await ownerContext.close();
    await adminContext.close();
  });
});
