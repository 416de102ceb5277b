import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail, fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_COOKIE_NAMES, type Auth, createAuth } from "./auth.ts";
import { knownDeviceCookieName } from "./known-device.ts";
import { ACCOUNT_ATTACK_FAILURES, LOCKOUT_DURATION_MS, LOCKOUT_MAX_FAILURES } from "./lockout.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { authSettingsSchema } from "./settings.ts";

// Issue 18 requirement 8 (no account enumeration, ASVS 6.3) and 9 (cookie prefixes). Timing is compared
// loosely (medians within a generous factor) and backed by what decides it: the bcrypt work is done on
// every path. bcrypt runs at its real cost (12), so these tests take a while.

const BASE = "https://ktizo.example";
const PASSWORD = "correct horse battery staple";
const SAMPLES = 20;
const SLOW = 600_000;
let handle: DbHandle;
const clock = fixedClock("2026-06-01T10:00:00Z");
const calls = { hash: 0, verify: 0 };

function makeAuth(nodeEnv: "test" | "production"): Auth {
  return createAuth({
    db: handle.db,
    mail: createOutboxMail(handle.db),
    clock,
    settings: authSettingsSchema.parse({
      BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      BETTER_AUTH_URL: BASE,
      NODE_ENV: nodeEnv,
    }),
    passwords: {
      hash: (password) => {
        calls.hash += 1;
        return hashPassword(password);
      },
      verify: (input) => {
        calls.verify += 1;
        return verifyPassword(input);
      },
    },
  });
}

let auth: Auth;
beforeAll(async () => {
  handle = await createTestDb();
  auth = makeAuth("test");
});
afterAll(async () => {
  await handle.close();
});

let ipCounter = 0;
const freshIp = () => {
  ipCounter += 1;
  return `10.1.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
};

async function post(path: string, body: unknown, options: { ip?: string; cookie?: string; on?: Auth } = {}) {
  const started = performance.now();
  const response = await (options.on ?? auth).handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        "x-ktizo-client-ip": options.ip ?? freshIp(),
        ...(options.cookie ? { cookie: options.cookie } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, ms: performance.now() - started };
}

const cookieFrom = (headers: Headers) =>
  headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

async function verifiedUser(email: string) {
  const res = await post("/sign-up/email", {
    email,
    password: PASSWORD,
    name: "Vera",
    country: "US",
    confirmedAge: 13,
  });
  expect(res.status).toBe(200);
  await handle.db.updateTable("user").set({ emailVerified: true }).where("email", "=", email).execute();
}

/** The account-wide lock a spray from many addresses leaves (the spray itself is tested once, below). */
async function lockAccountWide(email: string) {
  const user = await handle.db
    .selectFrom("user")
    .select("id")
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  await handle.db
    .insertInto("signInLockout")
    .values({
      userId: user.id,
      failures: ACCOUNT_ATTACK_FAILURES,
      windowStartedAt: clock.now(),
      lockedUntil: new Date(clock.now().getTime() + LOCKOUT_DURATION_MS),
    })
    .execute();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Loose on purpose (a loaded machine): the same work takes the same order of time. */
function expectSimilarTiming(a: number[], b: number[]) {
  expect(a).toHaveLength(SAMPLES);
  expect(b).toHaveLength(SAMPLES);
  const ratio = median(a) / median(b);
  expect(ratio).toBeGreaterThan(1 / 3);
  expect(ratio).toBeLessThan(3);
}

describe("sign-up says nothing about whether an address has an account", () => {
  it(
    `answers new and existing addresses alike: body, status, the hash, timing (${SAMPLES} samples each)`,
    async () => {
      await verifiedUser("taken@example.com");
      const fresh: Awaited<ReturnType<typeof post>>[] = [];
      const existing: Awaited<ReturnType<typeof post>>[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        // Interleaved, so a burst of load elsewhere lands on both sides.
        const signUp = (email: string) =>
          post("/sign-up/email", {
            email,
            password: PASSWORD,
            name: "Someone",
            country: "US",
            confirmedAge: 13,
          });
        let before = calls.hash;
        fresh.push(await signUp(`new-${i}@example.com`));
        expect(calls.hash - before).toBe(1);
        before = calls.hash;
        existing.push(await signUp("taken@example.com"));
        expect(calls.hash - before).toBe(1);
      }
      for (const res of [...fresh, ...existing]) {
        expect(res.status).toBe(200);
        expect(res.text).toBe(fresh[0]?.text);
        expect(cookieFrom(res.headers)).toBe("");
      }
      expect(JSON.parse(fresh[0]?.text ?? "")).toEqual({ status: true });
      expectSimilarTiming(
        fresh.map((r) => r.ms),
        existing.map((r) => r.ms),
      );
    },
    SLOW,
  );
});

describe("lockout per account and per source", () => {
  const signIn = (email: string, password: string, options: { ip?: string; cookie?: string } = {}) =>
    post("/sign-in/email", { email, password }, options);

  it("locks only the source that failed: the owner elsewhere still signs in", async () => {
    const email = "pat@example.com";
    await verifiedUser(email);
    const attacker = "10.200.0.1";
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++)
      expect((await signIn(email, `guess ${i}`, { ip: attacker })).status).toBe(401);
    expect((await signIn(email, PASSWORD, { ip: attacker })).status).toBe(401);
    expect((await signIn(email, PASSWORD, { ip: "10.200.0.2" })).status).toBe(200);
  });

  it(
    "under attack from many sources, pauses unknown devices but lets the owner's known device in",
    async () => {
      const email = "kim@example.com";
      await verifiedUser(email);
      const first = await signIn(email, PASSWORD);
      expect(first.status).toBe(200);
      const device = first.headers
        .getSetCookie()
        .find((c) => c.startsWith(`${knownDeviceCookieName(false)}=`));
      expect(device).toMatch(/HttpOnly/i);
      const deviceCookie = device?.split(";")[0] ?? "";
      for (let i = 0; i < ACCOUNT_ATTACK_FAILURES; i++) await signIn(email, `spray ${i}`);
      // A new device from a clean address is paused, with the usual answer...
      const unknown = await signIn(email, PASSWORD);
      expect(unknown.status).toBe(401);
      // ...the owner's device is not, and a device cookie of another account or a forged one does not count.
      expect((await signIn(email, PASSWORD, { cookie: deviceCookie })).status).toBe(200);
      const forged = `${knownDeviceCookieName(false)}=${deviceCookie.split("=")[1]?.split(".")[0]}.AAAA`;
      expect((await signIn(email, PASSWORD, { cookie: forged })).status).toBe(401);
      // The known device has its own count: its own mistakes lock only itself.
      for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++)
        await signIn(email, `typo ${i}`, { cookie: deviceCookie });
      expect((await signIn(email, PASSWORD, { cookie: deviceCookie })).status).toBe(401);
    },
    SLOW,
  );

  it(
    `a locked account does the bcrypt work and answers like a wrong password (${SAMPLES} samples each)`,
    async () => {
      const email = "lee@example.com";
      await verifiedUser(email);
      await verifiedUser("other@example.com");
      // Locked by an attack from many addresses; each sample then comes from yet another address, so
      // neither the per-IP rate limit nor a per-source lock decides the answer.
      await lockAccountWide(email);
      expect((await signIn(email, PASSWORD)).status).toBe(401);
      const locked: Awaited<ReturnType<typeof post>>[] = [];
      const wrong: Awaited<ReturnType<typeof post>>[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        let before = calls.verify;
        locked.push(await signIn(email, PASSWORD));
        expect(calls.verify - before).toBe(1);
        before = calls.verify;
        wrong.push(await signIn("other@example.com", `not it ${i}`));
        expect(calls.verify - before).toBe(1);
      }
      for (const res of [...locked, ...wrong]) {
        expect(res.status).toBe(401);
        expect(res.text).toBe(wrong[0]?.text);
      }
      expectSimilarTiming(
        locked.map((r) => r.ms),
        wrong.map((r) => r.ms),
      );
    },
    SLOW,
  );
});

describe("an emailed one-time link", () => {
  it(
    "signs the owner in while the account is under attack, once; an unknown address gets the same answer and no mail",
    async () => {
      const email = "lou@example.com";
      await verifiedUser(email);
      await lockAccountWide(email);
      expect((await post("/sign-in/email", { email, password: PASSWORD })).status).toBe(401);

      const ask = (address: string) =>
        post("/sign-in/magic-link", { email: address, callbackURL: "/account" });
      const known = await ask(email);
      const unknown = await ask("nobody-here@example.com");
      expect(known.status).toBe(200);
      expect(unknown.text).toBe(known.text);
      const mails = (to: string) =>
        handle.db
          .selectFrom("outboxMessage")
          .select("bodyText")
          .where("recipient", "=", to)
          .where("template", "=", "sign-in-link")
          .execute();
      expect(await mails("nobody-here@example.com")).toHaveLength(0);
      const [mail] = await mails(email);
      const link = new URL(mail?.bodyText.match(/https?:\/\/\S+/)?.[0] ?? "");
      const open = () =>
        auth.handler(new Request(link, { headers: { "x-ktizo-client-ip": freshIp() }, redirect: "manual" }));
      const first = await open();
      expect(first.status).toBe(302);
      expect(first.headers.get("location")).toBe(`${BASE}/account`);
      const session = await auth.handler(
        new Request(`${BASE}/api/auth/get-session`, { headers: { cookie: cookieFrom(first.headers) } }),
      );
      expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);
      // Once only.
      const second = await open();
      expect(second.headers.get("location")).toContain("error=INVALID_TOKEN");
      expect(cookieFrom(second.headers)).not.toContain("session_token");
    },
    SLOW,
  );
});

describe("cookies in production", () => {
  it("names every auth cookie __Host-: Secure, Path=/, no Domain; the session reads back", async () => {
    const production = makeAuth("production");
    const email = "prod@example.com";
    await verifiedUser(email);
    const res = await post("/sign-in/email", { email, password: PASSWORD }, { on: production });
    expect(res.status).toBe(200);
    const setCookies = res.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith("__Host-ktizo.session_token="));
    const device = setCookies.find((c) => c.startsWith("__Host-ktizo.device="));
    for (const cookie of [session, device]) {
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; Path=\/(;|$)/i);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(cookie).toMatch(/HttpOnly/i);
    }
    expect(setCookies.every((c) => c.startsWith("__Host-"))).toBe(true);
    const context = await production.$context;
    for (const name of AUTH_COOKIE_NAMES)
      expect(JSON.stringify(context.authCookies)).not.toContain(`"ktizo.${name}"`);
    const read = await production.handler(
      new Request(`${BASE}/api/auth/get-session`, { headers: { cookie: cookieFrom(res.headers) } }),
    );
    expect(((await read.json()) as { user: { email: string } }).user.email).toBe(email);
  });
});
