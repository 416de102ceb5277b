import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, hostedBrowserWorld, requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";

const runnable = requireOrSkip("page text browser test", browserUnavailableReason() ?? appsNotBuiltReason());

/**
 * Emoji in job titles reach the page whole. React 18.3's streaming renderer wrote NUL characters where a
 * 4-byte character met the end of one of its 2 KB pieces (facebook/react#31134; fixed for Ktizo by
 * patches/react-dom@18.3.1.patch): a "�" in the title, and a hydration error in the browser. Each card's
 * title is ~1,350 bytes of emoji, so about half of them straddle the end of a piece.
 */
describe.runIf(runnable)("page text with emoji, as the server streams it", () => {
  const world = hostedBrowserWorld<TestHost>(() => startTestHost());

  it("shows every card's emoji title as written, with no NUL character and no hydration error", async () => {
    const { host } = world;
    const shop = host.demo.shops.find((s) => s.ownerUserId === host.demo.users.northsideOwner);
    if (!shop) throw new Error("the demo shop is missing");
    const jobs = await host.runtime.db
      .selectFrom("job")
      .select(["id", "number"])
      .where("organizationId", "=", shop.organizationId)
      .where("status", "not in", ["completed", "cancelled"])
      .execute();
    expect(jobs.length).toBeGreaterThanOrEqual(8);
    const titles = new Map<string, { number: number; title: string }>();
    for (const [i, job] of jobs.entries()) {
      // Under 683 characters, so React encodes it into its current piece (longer strings it writes whole).
      const title = `${"🚀".repeat(330 + (i % 6))} ${job.number}`;
      titles.set(job.id, { number: job.number, title });
      await host.runtime.db.updateTable("job").set({ title }).where("id", "=", job.id).execute();
    }

    const { context, page } = await world.signedIn(DEMO_USERS.northsideOwner);
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    const html = await (await context.request.get(`${host.webUrl}/org/board`)).text();
    expect(html).not.toContain("\u0000");
    expect(html).not.toContain("\uFFFD");
    await gotoHydrated(page, `${host.webUrl}/org/board`);
    for (const [id, { number, title }] of titles) {
      const link = page.locator(`[data-job="${number}"] a[href="/org/jobs/${id}"]`);
      expect(await link.textContent()).toBe(`#${number} ${title}`);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
