import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail, fixedClock } from "@ktizo/services";
import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Auth, createAuth, SIGN_IN_FAILED_MESSAGE } from "./auth.ts";
import { LOCKOUT_DURATION_MS } from "./lockout.ts";
import { authSettingsSchema } from "./settings.ts";

const BASE = "http://localhost:3999";
const PASSWORD = "correct horse battery staple";
let handle: DbHandle;
let auth: Auth;
const clock = fixedClock("2026-06-01T10:00:00Z");

beforeAll(async () => {
  handle = await createTestDb();
  const settings = authSettingsSchema.parse({
    BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    BETTER_AUTH_URL: BASE,
    NODE_ENV: "test",
  });
  auth = createAuth({ db: handle.db, mail: createOutboxMail(handle.db), clock, settings });
});
afterAll(async () => {
  await handle.close();
});

let ipCounter = 0;
/** Each call comes from its own IP unless one is given, so rate limits only bite where a test wants them. */
async function post(path: string, body: unknown, options: { cookie?: string; ip?: string } = {}) {
  ipCounter += 1;
  const response = await auth.handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        "x-ktizo-client-ip": options.ip ?? `10.0.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`,
        ...(options.cookie ? { cookie: options.cookie } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

async function get(pathAndQuery: string, cookie?: string) {
  return auth.handler(
    new Request(`${BASE}/api/auth${pathAndQuery}`, {
      headers: { "x-ktizo-client-ip": "10.9.9.9", ...(cookie ? { cookie } : {}) },
      redirect: "manual",
    }),
  );
}

function cookieFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function outbox(to: string, template: string) {
  return handle.db
    .selectFrom("outboxMessage")
    .selectAll()
    .where("recipient", "=", to)
    .where("template", "=", template)
    .orderBy("createdAt", "desc")
    .execute();
}

function linkIn(text: string): string {
  const match = text.match(/https?:\/\/\S+/);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[0];
}

async function signUpAndVerify(email: string) {
  const signUp = await post("/sign-up/email", {
    email,
    password: PASSWORD,
    name: "Vera",
    country: "US",
    confirmedAge: 13,
  });
  expect(signUp.status).toBe(200);
  const [mail] = await outbox(email, "verify-email");
  const link = new URL(linkIn(mail!.bodyText));
  const verified = await get(`${link.pathname.replace("/api/auth", "")}${link.search}`);
  expect([200, 302]).toContain(verified.status);
}

describe("sign-up", () => {
  it("refuses an age below the country's minimum and keeps nothing", async () => {
    const res = await post("/sign-up/email", {
      email: "kid@example.com",
      password: PASSWORD,
      name: "Kid",
      country: "DE",
      confirmedAge: 13,
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/16 or older/);
    expect(
      await handle.db.selectFrom("user").select("id").where("email", "=", "kid@example.com").execute(),
    ).toEqual([]);
    expect(
      await handle.db
        .selectFrom("outboxMessage")
        .select("id")
        .where("recipient", "=", "kid@example.com")
        .execute(),
    ).toEqual([]);
  });

  it("refuses passwords over 72 bytes and common passwords, with a clear message", async () => {
    const long = await post("/sign-up/email", {
      email: "long@example.com",
      password: "é".repeat(37),
      name: "L",
      country: "US",
      confirmedAge: 13,
    });
    expect(long.status).toBe(400);
    expect(long.json.message).toMatch(/at most 72 bytes/);
    const common = await post("/sign-up/email", {
      email: "common@example.com",
      password: "Password123!",
      name: "C",
      country: "US",
      confirmedAge: 13,
    });
    expect(common.status).toBe(400);
    expect(common.json.message).toMatch(/most common/);
  });

  it("stores a bcrypt hash (cost 12), sends a verification email, and answers a duplicate alike", async () => {
    const first = await post("/sign-up/email", {
      email: "Ada@Example.com",
      password: PASSWORD,
      name: "Ada",
      country: "FR",
      confirmedAge: 16,
    });
    expect(first.status).toBe(200);
    const account = await handle.db
      .selectFrom("account")
      .innerJoin("user", "user.id", "account.userId")
      .select(["account.password", "user.country", "user.emailVerified"])
      .where("user.email", "=", "ada@example.com")
      .executeTakeFirstOrThrow();
    expect(account.password).toMatch(/^\$2[aby]\$12\$/);
    expect(account.password).not.toContain(PASSWORD);
    expect(account).toMatchObject({ country: "FR", emailVerified: false });
    expect(await outbox("ada@example.com", "verify-email")).toHaveLength(1);

    const again = await post("/sign-up/email", {
      email: "ada@example.com",
      password: PASSWORD,
      name: "Someone",
      country: "FR",
      confirmedAge: 16,
    });
    expect(again.status).toBe(first.status);
    expect(Object.keys(again.json).sort()).toEqual(Object.keys(first.json).sort());
    expect(await outbox("ada@example.com", "sign-up-existing-account")).toHaveLength(1);
  });
});

describe("sign-in, sessions and lockout", () => {
  it("reads a session and its user in one statement (every signed-in request asks)", async () => {
    const email = "joined@example.com";
    await signUpAndVerify(email);
    const cookie = cookieFrom((await post("/sign-in/email", { email, password: PASSWORD })).headers);
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements += 1;
        return args.result;
      },
    };
    const settings = authSettingsSchema.parse({
      BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      BETTER_AUTH_URL: BASE,
      NODE_ENV: "test",
    });
    const counted = createAuth({
      db: handle.db.withPlugin(counting),
      mail: createOutboxMail(handle.db),
      clock,
      settings,
    });
    const found = await counted.api.getSession({ headers: new Headers({ cookie }) });
    expect(found?.user.email).toBe(email);
    expect(statements).toBe(1);
  });

  it("needs a verified email, then sets an HttpOnly SameSite=Lax session cookie that sign-out ends", async () => {
    const email = "bea@example.com";
    await post("/sign-up/email", { email, password: PASSWORD, name: "Bea", country: "US", confirmedAge: 13 });
    const early = await post("/sign-in/email", { email, password: PASSWORD });
    expect(early.status).toBe(403);

    const [mail] = await outbox(email, "verify-email");
    const link = new URL(linkIn(mail!.bodyText));
    await get(`${link.pathname.replace("/api/auth", "")}${link.search}`);

    const signIn = await post("/sign-in/email", { email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.getSetCookie().find((c) => c.startsWith("ktizo.session_token="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieFrom(signIn.headers);

    const session = (await (await get("/get-session", cookie)).json()) as { user: { email: string } };
    expect(session.user.email).toBe(email);

    // A second sign-in gets a new token (sessions rotate at sign-in).
    const again = await post("/sign-in/email", { email, password: PASSWORD });
    expect(cookieFrom(again.headers)).not.toBe(cookie);

    await post("/sign-out", {}, { cookie });
    const after = await get("/get-session", cookie);
    expect(await after.json()).toBeNull();
  });

  it("answers unknown emails and wrong passwords with the same message", async () => {
    await signUpAndVerify("cy@example.com");
    const wrong = await post("/sign-in/email", { email: "cy@example.com", password: "not the password!" });
    const unknown = await post("/sign-in/email", {
      email: "nobody@example.com",
      password: "not the password!",
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.message).toBe(SIGN_IN_FAILED_MESSAGE);
    expect(unknown.json.message).toBe(SIGN_IN_FAILED_MESSAGE);
    const resetKnown = await post("/request-password-reset", {
      email: "cy@example.com",
      redirectTo: "/reset-password",
    });
    const resetUnknown = await post("/request-password-reset", {
      email: "nobody@example.com",
      redirectTo: "/reset-password",
    });
    expect(resetKnown.status).toBe(resetUnknown.status);
    expect(resetKnown.json).toEqual(resetUnknown.json);
  });

  it("locks an account after 10 failures from one source, for 15 minutes, while password reset still works", async () => {
    const email = "dee@example.com";
    const ip = "10.66.0.1";
    await signUpAndVerify(email);
    for (let i = 0; i < 10; i++) {
      const res = await post("/sign-in/email", { email, password: `wrong password ${i}` }, { ip });
      expect(res.status).toBe(401);
    }
    const locked = await post("/sign-in/email", { email, password: PASSWORD }, { ip });
    expect(locked.status).toBe(401);
    expect(locked.json.message).toBe(SIGN_IN_FAILED_MESSAGE);

    clock.advance(LOCKOUT_DURATION_MS + 1000);
    const unlocked = await post("/sign-in/email", { email, password: PASSWORD }, { ip });
    expect(unlocked.status).toBe(200);

    // Lock it again (from another address: sign-in is also rate limited per IP), then reset the
    // password: the reset works and ends the lock and every session.
    const sessionCookie = cookieFrom(unlocked.headers);
    const again = { ip: "10.66.0.2" };
    for (let i = 0; i < 10; i++) await post("/sign-in/email", { email, password: `wrong again ${i}` }, again);
    expect((await post("/sign-in/email", { email, password: PASSWORD }, again)).status).toBe(401);
    await post("/request-password-reset", { email, redirectTo: `${BASE}/reset-password` });
    const [mail] = await outbox(email, "password-reset");
    const resetUrl = new URL(linkIn(mail!.bodyText));
    const resetLink = await get(`${resetUrl.pathname.replace("/api/auth", "")}${resetUrl.search}`);
    const token = new URL(resetLink.headers.get("location")!, BASE).searchParams.get("token");
    expect(token).toBeTruthy();
    const newPassword = "a brand new passphrase 42";
    expect((await post("/reset-password", { token, newPassword })).status).toBe(200);
    expect(await (await get("/get-session", sessionCookie)).json()).toBeNull();
    expect((await post("/sign-in/email", { email, password: newPassword }, again)).status).toBe(200);
  });

  it("rate-limits sign-in per client IP with counts kept in the database", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push(
        (
          await post(
            "/sign-in/email",
            { email: "rl@example.com", password: "whatever it is" },
            { ip: "10.77.0.1" },
          )
        ).status,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const rows = await handle.db.selectFrom("rateLimit").select(["key", "count"]).execute();
    expect(rows.some((r) => r.key.includes("10.77.0.1"))).toBe(true);
    // Another client is not affected.
    expect(
      (
        await post(
          "/sign-in/email",
          { email: "rl@example.com", password: "whatever it is" },
          { ip: "10.77.0.2" },
        )
      ).status,
    ).toBe(401);
  });
});

describe("Google sign-in", () => {
  it("is offered only when the OAuth client is configured", async () => {
    const request = (instance: Auth) =>
      instance.handler(
        new Request(`${BASE}/api/auth/sign-in/social`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: BASE, "x-ktizo-client-ip": "10.8.0.1" },
          body: JSON.stringify({ provider: "google", callbackURL: "/" }),
        }),
      );
    const off = await request(auth);
    expect(off.status).toBeGreaterThanOrEqual(400);

    const withGoogle = createAuth({
      db: handle.db,
      mail: createOutboxMail(handle.db),
      clock,
      settings: authSettingsSchema.parse({
        BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
        BETTER_AUTH_URL: BASE,
        NODE_ENV: "test",
        GOOGLE_CLIENT_ID: "client-123.apps.googleusercontent.com",
        GOOGLE_CLIENT_SECRET: "google-secret",
      }),
    });
    const on = await request(withGoogle);
    expect(on.status).toBe(200);
    const url = new URL(((await on.json()) as { url: string }).url);
    expect(url.hostname).toBe("accounts.google.com");
    expect(url.searchParams.get("client_id")).toBe("client-123.apps.googleusercontent.com");
    expect(url.searchParams.get("redirect_uri")).toBe(`${BASE}/api/auth/callback/google`);
  });
});
