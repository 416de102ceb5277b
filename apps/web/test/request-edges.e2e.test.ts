import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appRouter } from "@ktizo/api";
import { listProcedures } from "@ktizo/api/testing";
import { ACCOUNT_ATTACK_FAILURES } from "@ktizo/auth";
import { CROSS_ORIGIN_EXEMPT_PATHS, DEMO_USERS } from "@ktizo/runtime";
import {
  appsNotBuiltReason,
  peakMemoryGrowth,
  sendChunked,
  startTestHost,
  type TestHost,
} from "@ktizo/runtime/testing";
import { mergeCookies, readRouteFiles, requireOrSkip, signInOverHttp } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The edges of request handling on the production build (issue 18): bodies bounded while they
// stream, cross-origin writes refused everywhere, redirect targets kept on the site.

const runnable = requireOrSkip("request edge tests", appsNotBuiltReason());
const MB = 1024 * 1024;
const FOREIGN = "https://evil.example";
const ROUTES_DIRS = {
  web: fileURLToPath(new URL("../app/routes", import.meta.url)),
  admin: fileURLToPath(new URL("../../admin/app/routes", import.meta.url)),
};

describe.runIf(runnable)("request edges on the production build", () => {
  let host: TestHost;
  let owner: string;
  let admin: string;
  let jobId: string;
  beforeAll(async () => {
    // A small model limit keeps the upload case quick; the host derives the upload kind's limit from it.
    host = await startTestHost({ MARKETPLACE_MAX_UPLOAD_MB: "2" });
    owner = await signInOverHttp(
      host.webUrl,
      DEMO_USERS.northsideOwner.email,
      DEMO_USERS.northsideOwner.password,
    );
    admin = await signInOverHttp(host.webUrl, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
    const shop = host.demo.shops.find((s) => s.ownerUserId === host.demo.users.northsideOwner);
    const job = await host.runtime.db
      .selectFrom("job")
      .select("id")
      .where("organizationId", "=", shop?.organizationId ?? "")
      .executeTakeFirstOrThrow();
    jobId = job.id;
    // The owner's first workspace page opens their only shop in the session.
    await fetch(`${host.webUrl}/org`, { redirect: "manual", headers: { cookie: owner } });
  });
  afterAll(async () => {
    await host?.close();
  });

  it("leaves no timer behind once a page is sent (a pending one kept each page's data alive)", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const page = async () => {
      const response = await fetch(`${host.webUrl}/org/board`, { headers: { cookie: owner } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Board columns");
    };
    await page();
    const before = timers();
    for (let i = 0; i < 12; i++) await page();
    // Sockets and pools keep a few timers of their own; twelve pages must not add one each.
    expect(timers() - before).toBeLessThan(6);
  });

  describe("every body is bounded while it streams (413 at once, memory flat)", () => {
    const cases = (): { kind: string; path: string; cookie?: string; type: string; limit: number }[] => [
      { kind: "webhook", path: "/api/webhooks/stripe", type: "application/json", limit: 512 * 1024 },
      { kind: "auth", path: "/api/auth/sign-up/email", type: "application/json", limit: 64 * 1024 },
      {
        kind: "trpc",
        // A mutation with an input (one without never reads its body).
        path: "/api/trpc/account.sessions.revoke",
        cookie: owner,
        type: "application/json",
        limit: MB,
      },
      { kind: "upload", path: "/quote/upload", type: "multipart/form-data; boundary=x", limit: 3 * MB },
      {
        kind: "logo",
        path: "/org/profile/logo",
        cookie: owner,
        type: "multipart/form-data; boundary=x",
        limit: 2 * MB + 64 * 1024,
      },
      {
        kind: "attachment",
        path: "/orders/shop/none",
        cookie: owner,
        type: "multipart/form-data; boundary=x",
        limit: 11 * MB,
      },
      {
        kind: "file",
        path: `/org/jobs/${jobId}/files`,
        cookie: owner,
        type: "multipart/form-data; boundary=x",
        limit: 101 * MB,
      },
      { kind: "form", path: "/sign-in", type: "application/x-www-form-urlencoded", limit: MB },
    ];

    it("covers each route kind", () => {
      expect(cases().map((c) => c.kind)).toEqual(
        expect.arrayContaining(["webhook", "auth", "trpc", "upload", "file", "logo"]),
      );
    });

    it.each(["webhook", "auth", "trpc", "upload", "logo", "attachment", "file", "form"])(
      "%s: a chunked body twice the limit (and at least 200 MB) gets 413 at the limit",
      async (kind) => {
        const c = cases().find((x) => x.kind === kind);
        if (!c) throw new Error(kind);
        const totalBytes = Math.max(200 * MB, 2 * c.limit);
        const { result, growth } = await peakMemoryGrowth(() =>
          sendChunked(`${host.webUrl}${c.path}`, {
            totalBytes,
            headers: {
              "content-type": c.type,
              origin: host.webUrl,
              accept: "application/json",
              ...(c.cookie ? { cookie: c.cookie } : {}),
            },
          }),
        );
        expect(result.status).toBe(413);
        expect(result.body).toContain("too large");
        // Answered while the client was still sending: the body was never read past the limit.
        expect(result.sent).toBeLessThan(c.limit + 16 * MB);
        // Memory follows the limit, not the body (before the fix a 200 MB body added ~340 MB); the
        // margin is generous for a loaded machine.
        expect(growth).toBeLessThan(64 * MB + 2.5 * c.limit);
      },
    );
  });

  describe("cross-origin writes are refused", () => {
    const refused = async (url: string, headers: Record<string, string>, body: BodyInit = "x=1") => {
      const res = await fetch(url, { method: "POST", redirect: "manual", headers, body });
      return { status: res.status, text: await res.text() };
    };

    const actionRoutes = (app: "web" | "admin") =>
      readRouteFiles(ROUTES_DIRS[app])
        .filter((route) => {
          const source = readFileSync(join(ROUTES_DIRS[app], route.file), "utf8");
          return /export (async )?function action\b|export const action\b|as action\b/.test(source);
        })
        .map((route) => route.pattern.replace(/:[^/]+/g, "x").replace("*", "x"))
        // Listed in one place, each signature-checked; tested below.
        .filter((path) => !CROSS_ORIGIN_EXEMPT_PATHS.some((exempt) => exempt.path === path));

    it("enumerates the actions of both apps", () => {
      expect(actionRoutes("web").length).toBeGreaterThan(30);
      expect(actionRoutes("web")).toEqual(
        expect.arrayContaining(["/sign-out", "/org/jobs/x/files", "/cookies"]),
      );
      expect(actionRoutes("admin")).toEqual(expect.arrayContaining(["/sign-in", "/sign-out"]));
    });

    it("refuses every Remix action of both apps from a foreign Origin", async () => {
      const apps = [
        { app: "web" as const, base: host.webUrl, cookie: owner },
        { app: "admin" as const, base: host.adminUrl, cookie: admin },
      ];
      const answers: string[] = [];
      for (const { app, base, cookie } of apps) {
        for (const path of actionRoutes(app)) {
          const { status, text } = await refused(`${base}${path}`, {
            origin: FOREIGN,
            cookie,
            "content-type": "application/x-www-form-urlencoded",
          });
          answers.push(`${app} ${path} ${status} ${text.slice(0, 40)}`);
        }
      }
      for (const answer of answers) expect(answer).toMatch(/ 403 Refused/);
    });

    it("refuses every tRPC mutation from a foreign Origin, and anything but JSON from its own", async () => {
      const mutations = listProcedures(appRouter).filter((p) => p.type === "mutation");
      expect(mutations.length).toBeGreaterThan(20);
      for (const { path } of mutations) {
        const url = `${host.webUrl}/api/trpc/${path}`;
        const foreign = await refused(
          url,
          { origin: FOREIGN, cookie: owner, "content-type": "application/json" },
          "{}",
        );
        expect(`${path} ${foreign.status}`).toBe(`${path} 403`);
        const form = new FormData();
        form.append("x", "1");
        const multipart = await fetch(url, {
          method: "POST",
          headers: { origin: host.webUrl, cookie: owner },
          body: form,
        });
        expect(`${path} ${multipart.status}`).toBe(`${path} 415`);
        const text = await refused(
          url,
          { origin: host.webUrl, cookie: owner, "content-type": "text/plain" },
          "{}",
        );
        expect(`${path} ${text.status}`).toBe(`${path} 415`);
      }
    });

    it("keeps the session when a foreign page posts sign-out or revoke-other-sessions", async () => {
      const other = await signInOverHttp(
        host.webUrl,
        DEMO_USERS.customer.email,
        DEMO_USERS.customer.password,
      );
      const current = await signInOverHttp(
        host.webUrl,
        DEMO_USERS.customer.email,
        DEMO_USERS.customer.password,
      );
      const signedIn = async (cookie: string) => {
        const res = await fetch(`${host.webUrl}/api/trpc/account.sessions.list`, { headers: { cookie } });
        return res.status;
      };
      const noInput = await refused(`${host.webUrl}/api/trpc/account.sessions.revokeOthers`, {
        origin: FOREIGN,
        cookie: current,
      });
      expect(noInput.status).toBe(403);
      // Without Origin, a cross-site fetch is known by its fetch metadata, and cookies alone say nothing.
      expect(
        (await refused(`${host.webUrl}/sign-out`, { "sec-fetch-site": "cross-site", cookie: current }))
          .status,
      ).toBe(403);
      expect((await refused(`${host.webUrl}/sign-out`, { cookie: current })).status).toBe(403);
      expect((await refused(`${host.webUrl}/sign-out`, { origin: FOREIGN, cookie: current })).status).toBe(
        403,
      );
      expect(await signedIn(other)).toBe(200);
      expect(await signedIn(current)).toBe(200);
      // From the app's own origin the same mutation works (the check is not refusing everything).
      const own = await fetch(`${host.webUrl}/api/trpc/account.sessions.revokeOthers`, {
        method: "POST",
        headers: { origin: host.webUrl, cookie: current, "content-type": "application/json" },
        body: "{}",
      });
      expect(own.status).toBe(200);
      expect(await signedIn(other)).toBe(401);
    });

    it("lets the signature-checked Stripe webhook through without an Origin", async () => {
      const res = await refused(
        `${host.webUrl}/api/webhooks/stripe`,
        { "content-type": "application/json" },
        "{}",
      );
      // Reaches the route, which refuses the unsigned event itself.
      expect(res.status).toBe(400);
    });
  });

  describe("redirect targets stay on the site", () => {
    // The whole table is in packages/runtime/src/remix/redirect.test.ts; these show every route uses it
    // (few, as each case signs in twice and sign-in is rate limited).
    const HOSTILE = ["/\t/evil.example", "/%09/evil.example", "/\\evil.example"];
    const post = (url: string, origin: string, fields: Record<string, string>) =>
      fetch(url, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams(fields),
      });

    it.each(HOSTILE)(
      "web sign-in GET and POST, admin sign-in and the cookie page refuse %j",
      async (target) => {
        const get = await fetch(`${host.webUrl}/sign-in?redirectTo=${encodeURIComponent(target)}`, {
          redirect: "manual",
          headers: { cookie: owner },
        });
        const member = DEMO_USERS.northsideMember;
        const web = await post(`${host.webUrl}/sign-in`, host.webUrl, {
          email: member.email,
          password: member.password,
          redirectTo: target,
        });
        const adminSignIn = await post(`${host.adminUrl}/sign-in`, host.adminUrl, {
          email: DEMO_USERS.admin.email,
          password: DEMO_USERS.admin.password,
          redirectTo: target,
        });
        const cookies = await post(`${host.webUrl}/cookies`, host.webUrl, {
          choice: "rejected",
          redirectTo: target,
        });
        const locations = [get, web, adminSignIn, cookies].map((res) => res.headers.get("location"));
        expect(locations).toEqual(["/", "/", "/", "/"]);
      },
    );
  });
  describe("no account enumeration", () => {
    it("lets an owner whose account is under attack back in with an emailed one-time link", async () => {
      const { email, password } = DEMO_USERS.resinOwner;
      const user = await host.runtime.db
        .selectFrom("user")
        .select("id")
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      // What a spray of failed sign-ins from many addresses leaves: unknown devices are paused.
      await host.runtime.db
        .insertInto("signInLockout")
        .values({
          userId: user.id,
          failures: ACCOUNT_ATTACK_FAILURES,
          windowStartedAt: host.runtime.clock.now(),
          lockedUntil: new Date(host.runtime.clock.now().getTime() + 15 * 60_000),
        })
        .execute();
      const form = (fields: Record<string, string>) =>
        fetch(`${host.webUrl}/sign-in`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: host.webUrl },
          body: new URLSearchParams(fields),
        });
      expect((await form({ email, password, redirectTo: "/" })).status).toBe(400);
      const asked = await form({ email, intent: "link", redirectTo: "/org" });
      const unknown = await form({ email: "nobody@resinworks.example", intent: "link", redirectTo: "/org" });
      // The same answer (pages differ only by their nonce and the echoed address).
      const sent = "If an account uses this address, we sent it a sign-in link.";
      expect([asked.status, unknown.status]).toEqual([200, 200]);
      expect(await asked.text()).toContain(sent);
      expect(await unknown.text()).toContain(sent);
      const mail = await host.runtime.db
        .selectFrom("outboxMessage")
        .select("bodyText")
        .where("recipient", "=", email)
        .where("template", "=", "sign-in-link")
        .executeTakeFirstOrThrow();
      const link = mail.bodyText.match(/https?:\/\/\S+/)?.[0] ?? "";
      const opened = await fetch(link, { redirect: "manual" });
      expect(opened.status).toBe(302);
      expect(new URL(opened.headers.get("location") ?? "", host.webUrl).pathname).toBe("/org");
      const cookie = mergeCookies("", opened);
      const sessions = await fetch(`${host.webUrl}/api/trpc/account.sessions.list`, { headers: { cookie } });
      expect(sessions.status).toBe(200);
    });
  });
});
