import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiContext, createCaller, privacy } from "@ktizo/api";
import { DEMO_USERS, seedDemo } from "@ktizo/api/demo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestApiContext } from "./remix/api.ts";
import { createApiContext, mayCarrySession } from "./request-context.ts";
import { createRuntime, type Runtime } from "./runtime.ts";
import { loadSettings } from "./settings.ts";

// The runtime as the host builds it, on a fresh embedded database (PostgreSQL pass: TEST_DATABASE_URL).
let runtime: Runtime;
let dataDir: string;
const BASE = "http://127.0.0.1:3999";
const settingsEnv = {
  NODE_ENV: "test",
  BETTER_AUTH_URL: BASE,
  BETTER_AUTH_SECRET: "runtime-test-secret-runtime-test-secret",
};

/** A binary STL of the given triangles (nine coordinates each). */
function binaryStl(triangles: number[][]): Uint8Array {
  const bytes = new Uint8Array(84 + triangles.length * 50);
  const view = new DataView(bytes.buffer);
  view.setUint32(80, triangles.length, true);
  triangles.forEach((t, i) => {
    t.forEach((c, j) => {
      view.setFloat32(84 + i * 50 + 12 + j * 4, c, true);
    });
  });
  return bytes;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ktizo-runtime-"));
  const settings = loadSettings({ ...settingsEnv, KTIZO_DATA_DIR: dataDir });
  runtime = await createRuntime(settings);
  await seedDemo(runtime.db, runtime.clock);
});
afterAll(async () => {
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(email: string, password: string) {
  const response = await runtime.auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-ktizo-client-ip": "10.1.1.1" },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(response.status).toBe(200);
  return cookiesOf(response.headers);
}

/** The `cookie` header a browser would send back for these Set-Cookie headers. */
function cookiesOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Signs a shop owner in with their shop open in the session, as the workspace's first page does. */
async function signInWithShopOpen(user: { email: string; password: string }) {
  let cookie = await signIn(user.email, user.password);
  const start = await createApiContext(runtime, new Request(`${BASE}/org`, { headers: { cookie } }));
  const { activeOrganizationId, memberships } = await createCaller(start).account.me();
  const organizationId = activeOrganizationId ?? memberships[0]!.organizationId;
  if (!activeOrganizationId) {
    await createCaller(start).account.organizations.switch({ organizationId });
    cookie = `${cookie}; ${cookiesOf(start.responseHeaders)}`;
  }
  return { cookie, organizationId };
}

describe("runtime", () => {
  it("names every service's implementation for the start-up log", () => {
    const lines = runtime.describe();
    for (const service of [
      "database",
      "mail",
      "sms",
      "payments",
      "storage",
      "ai",
      "google",
      "analytics",
      "monitoring",
      "slicer",
    ]) {
      expect(lines.some((line) => line.startsWith(`${service}:`))).toBe(true);
    }
    expect(lines.join("\n")).not.toContain("every call refused");
  });

  it("analyses models in its worker pool and closes the pool with the runtime", async () => {
    // A tetrahedron (binary STL): the runtime's pool answers with the quote engine's analysis.
    const tetra = binaryStl([
      [0, 0, 0, 0, 10, 0, 10, 0, 0],
      [0, 0, 0, 10, 0, 0, 0, 0, 10],
      [0, 0, 0, 0, 0, 10, 0, 10, 0],
      [10, 0, 0, 0, 10, 0, 0, 0, 10],
    ]);
    const analysis = await runtime.analysisPool.analyze(tetra);
    expect(analysis.triangles).toBe(4);
    expect(runtime.analysisPool.pending).toBe(0);

    // Without PrusaSlicer the runtime still starts; the start-up log says how to install it.
    const other = await createRuntime(loadSettings({ ...settingsEnv, KTIZO_DATA_DIR: `${dataDir}/other` }), {
      slicerPath: "/nonexistent/prusa-slicer",
    });
    expect(other.slicer.available).toBe(false);
    expect(other.describe().find((line) => line.startsWith("slicer:"))).toContain(
      "apt-get install prusa-slicer",
    );
    await other.close();
    await expect(other.analysisPool.analyze(tetra)).rejects.toMatchObject({ code: "POOL_CLOSED" });
  });

  it("records policy acceptance at the first sign-in, once per version", async () => {
    const admin = await runtime.db
      .selectFrom("user")
      .select("id")
      .where("email", "=", DEMO_USERS.admin.email)
      .executeTakeFirstOrThrow();
    // The seed published the privacy policy (version 1); the first terms take effect at once too.
    await privacy.publishPolicy(runtime.db, runtime.clock, admin.id, {
      kind: "terms",
      title: "Terms of service",
      body: "Be kind to the printers.",
      effectiveAt: runtime.clock.now(),
    });
    const customer = DEMO_USERS.customer;
    await signIn(customer.email, customer.password);
    await signIn(customer.email, customer.password);
    const rows = await runtime.db
      .selectFrom("policyAcceptance")
      .innerJoin("user", "user.id", "policyAcceptance.userId")
      .select(["policyAcceptance.context"])
      .where("user.email", "=", customer.email)
      .execute();
    // Both policies in force (the seeded privacy policy and the terms), accepted at the first session.
    expect(rows).toEqual([{ context: "sign-up" }, { context: "sign-up" }]);
  });

  it("asks better-auth for the session only when the request carries a session cookie", async () => {
    const request = (cookie: string | null) =>
      new Request(`${BASE}/api/trpc/marketplace.searchShops`, { headers: cookie ? { cookie } : {} });
    // Without the session cookies better-auth finds no session and sets no cookie: the shortcut agrees.
    for (const cookie of [null, "theme=dark", "theme=dark; ktizo.dont_remember=x; ktizo.upload_session=y"]) {
      expect(mayCarrySession(cookie)).toBe(false);
      const asked = await runtime.auth.api.getSession({
        headers: request(cookie).headers,
        returnHeaders: true,
      });
      expect(asked.response).toBeNull();
      expect(asked.headers?.getSetCookie() ?? []).toEqual([]);
      const ctx = await createApiContext(runtime, request(cookie));
      expect(ctx.session).toBeNull();
      expect(ctx.responseHeaders.getSetCookie()).toEqual([]);
    }
    for (const cookie of ["ktizo.session_data=stale", "__Host-ktizo.session_token=abc; theme=dark"]) {
      expect(mayCarrySession(cookie)).toBe(true);
    }
    const customer = DEMO_USERS.customer;
    const signedIn = await signIn(customer.email, customer.password);
    expect(mayCarrySession(signedIn)).toBe(true);
    const ctx = await createApiContext(runtime, request(`theme=dark; ${signedIn}`));
    expect(ctx.session?.email).toBe(customer.email);
  });

  it("reads the session once per page view: the loaders of one GET share it, a POST reads its own", async () => {
    const customer = DEMO_USERS.customer;
    const cookie = await signIn(customer.email, customer.password);
    // Remix hands every loader of a request its own copy of the Request, and all of them one load context.
    const copy = (method = "GET", withCookie = cookie) =>
      new Request(`${BASE}/orders`, { method, headers: { cookie: withCookie } });
    const pageView = { runtime, cspNonce: "n" };
    const root = await requestApiContext(copy(), pageView);
    const page = await requestApiContext(copy(), pageView);
    expect(root.session?.email).toBe(customer.email);
    expect(page).toBe(root);
    // Another page view, an action, or another cookie: a lookup of its own.
    expect(await requestApiContext(copy(), { runtime, cspNonce: "m" })).not.toBe(root);
    expect(await requestApiContext(copy("POST"), pageView)).not.toBe(root);
    const anonymous = await requestApiContext(copy("GET", "theme=dark"), pageView);
    expect(anonymous).not.toBe(root);
    expect(anonymous.session).toBeNull();
  });

  it("asks the database 5 statements for a board page view's procedures: role and organization from `me`", async () => {
    const { cookie } = await signInWithShopOpen(DEMO_USERS.northsideOwner);
    const copy = () => new Request(`${BASE}/org/board`, { headers: { cookie } });
    let statements = 0;
    // Counted as results arrive: a plugin's transformQuery also sees each subquery built on the db.
    const counting: Parameters<Runtime["db"]["withPlugin"]>[0] = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements += 1;
        return args.result;
      },
    };
    // What the root and board loaders ask, in their order (apps/web: root.tsx; org.board.tsx with
    // requireOrg in org.server.ts: the account first, then the organization, then the board).
    const boardPageView = async (ctx: ApiContext) => {
      const api = createCaller({ ...ctx, db: runtime.db.withPlugin(counting) });
      statements = 0;
      const board = async () => {
        await api.account.me();
        await api.account.organization.get();
        await Promise.all([api.job.board({ perColumn: 50, closedWithinDays: 14 }), api.job.plan.offers()]);
      };
      await Promise.all([api.privacy.policies.pending(), board()]);
      return statements;
    };
    const pageView = await requestApiContext(copy(), { runtime, cspNonce: "n" });
    expect(pageView.session?.activeOrganizationId).toBeTruthy();
    // Policies 1; the account, its memberships' roles and the active organization 1; board 2; re-planning 1.
    expect(await boardPageView(pageView)).toBe(5);
    // Outside a page view every organization procedure reads the role itself (3 more), and
    // organization.get its organization (1 more).
    expect(await boardPageView(await createApiContext(runtime, copy()))).toBe(9);
  });

  it("reads a member's role afresh for a mutation, even within a page view that has read it", async () => {
    const { cookie, organizationId } = await signInWithShopOpen(DEMO_USERS.resinOwner);
    const ctx = await requestApiContext(new Request(`${BASE}/org`, { headers: { cookie } }), {
      runtime,
      cspNonce: "r",
    });
    const api = createCaller(ctx);
    expect((await api.account.organization.get()).role).toBe("owner");
    const userId = ctx.session!.userId;
    const demote = (role: "member" | "owner") =>
      runtime.db
        .updateTable("member")
        .set({ role })
        .where("organizationId", "=", organizationId)
        .where("userId", "=", userId)
        .execute();
    await demote("member");
    try {
      await expect(
        api.account.members.invite({ email: "new.member@example.test", role: "member" }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    } finally {
      await demote("owner");
    }
  });
});
