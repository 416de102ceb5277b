import type { Database } from "@ktizo/db";
import type { Clock, MailService } from "@ktizo/services";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { admin, magicLink } from "better-auth/plugins";
import { isCountryCode, minimumAge } from "./age.ts";
import { accountEmails } from "./emails.ts";
import {
  KNOWN_DEVICE_MAX_AGE_S,
  knownDeviceCookieName,
  knownDeviceId,
  newKnownDevice,
} from "./known-device.ts";
import { clearSignInFailures, isLockedOut, recordFailedSignIn, type SignInSource } from "./lockout.ts";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { AuthSettings } from "./settings.ts";

export interface AuthDeps {
  db: Database;
  mail: MailService;
  clock: Clock;
  settings: AuthSettings;
  /** Called after each new session (sign-in, or the automatic sign-in after email verification). */
  onSessionCreated?: (userId: string) => Promise<void>;
  /** bcrypt (cost 12) unless given; tests wrap it to see which answers did the work. */
  passwords?: { hash: typeof hashPassword; verify: typeof verifyPassword };
}

/** One message for every failed sign-in, so it never tells whether an account exists or is locked. */
export const SIGN_IN_FAILED_MESSAGE = "Invalid email or password";

const RATE_LIMIT_WINDOW_S = 60;

/**
 * better-auth on the platform's Kysely database: bcrypt (cost 12), email verification and reset through
 * the mail service, lockout, age check, database rate limits, Google only when configured.
 * Organizations and members live in the same tables and are managed by the account domain functions
 * (so every change writes an audit row in the same transaction).
 */
export function createAuth({ db, mail, clock, settings, onSessionCreated, passwords }: AuthDeps) {
  const production = settings.NODE_ENV === "production";
  const { hash, verify } = passwords ?? { hash: hashPassword, verify: verifyPassword };
  const deviceCookie = knownDeviceCookieName(production);
  // A locked account still pays for one bcrypt verification, so its answer takes as long as any other.
  let equaliser: Promise<string> | null = null;
  const equaliserHash = () => {
    equaliser ??= hash("ktizo: the cost of a sign-in, whatever the answer");
    return equaliser;
  };
  const emails = accountEmails(mail);
  const google =
    settings.GOOGLE_CLIENT_ID && settings.GOOGLE_CLIENT_SECRET
      ? { google: { clientId: settings.GOOGLE_CLIENT_ID, clientSecret: settings.GOOGLE_CLIENT_SECRET } }
      : undefined;

  const userIdByEmail = async (email: unknown) => {
    if (typeof email !== "string") return null;
    const row = await db
      .selectFrom("user")
      .select("id")
      .where("email", "=", email.toLowerCase())
      .executeTakeFirst();
    return row?.id ?? null;
  };

  /** A known device of this account (its cookie), else the client IP the host wrote. */
  const sourceOf = (
    ctx: { getCookie(name: string): string | null | undefined; headers?: Headers },
    userId: string,
  ): SignInSource => {
    const deviceId = knownDeviceId(settings.BETTER_AUTH_SECRET, userId, ctx.getCookie(deviceCookie));
    if (deviceId) return { key: `device:${deviceId}`, knownDevice: true };
    return { key: `ip:${ctx.headers?.get(settings.CLIENT_IP_HEADER) ?? "unknown"}`, knownDevice: false };
  };

  return betterAuth({
    appName: "Ktizo",
    baseURL: settings.BETTER_AUTH_URL,
    basePath: "/api/auth",
    secret: settings.BETTER_AUTH_SECRET,
    trustedOrigins: [new URL(settings.BETTER_AUTH_URL).origin, ...settings.AUTH_TRUSTED_ORIGINS],
    database: { db, type: "postgres", casing: "camel" },
    telemetry: { enabled: false },
    // better-auth logs some events with the email address at info level; personal data stays out of logs.
    logger: { level: "error" },
    user: {
      additionalFields: {
        country: { type: "string", required: false, input: true },
      },
      changeEmail: {
        enabled: true,
        // The current address confirms the change, so a stolen session cannot move the account away.
        sendChangeEmailConfirmation: ({ user, newEmail, url }) =>
          emails.changeEmail({ userId: user.id, to: user.email, newEmail, url }),
      },
    },
    session: {
      additionalFields: {
        activeOrganizationId: { type: "string", required: false, input: false },
      },
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      // A high cap here; the byte limit (72) is checked in the hook below with a clearer message.
      maxPasswordLength: 256,
      revokeSessionsOnPasswordReset: true,
      password: { hash, verify },
      sendResetPassword: ({ user, url }) => emails.passwordReset({ userId: user.id, to: user.email, url }),
      // The emailed one-time link that always gets a locked-out owner back in, from any device.
      onPasswordReset: async ({ user }) => {
        await clearSignInFailures(db, user.id);
      },
      onExistingUserSignUp: ({ user }) => emails.existingAccount({ userId: user.id, to: user.email }),
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: ({ user, url }) => emails.verifyEmail({ userId: user.id, to: user.email, url }),
    },
    ...(google ? { socialProviders: google } : {}),
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: RATE_LIMIT_WINDOW_S,
      max: 120,
      customRules: {
        "/sign-in/email": { window: RATE_LIMIT_WINDOW_S, max: 20 },
        "/sign-up/email": { window: RATE_LIMIT_WINDOW_S, max: 10 },
        "/request-password-reset": { window: RATE_LIMIT_WINDOW_S, max: 5 },
        "/reset-password": { window: RATE_LIMIT_WINDOW_S, max: 10 },
        "/send-verification-email": { window: RATE_LIMIT_WINDOW_S, max: 5 },
        "/change-password": { window: RATE_LIMIT_WINDOW_S, max: 10 },
        "/sign-in/magic-link": { window: RATE_LIMIT_WINDOW_S, max: 5 },
      },
    },
    advanced: {
      // Production names every cookie `__Host-ktizo.*` itself (better-auth's own switch only offers
      // `__Secure-`): the browser then refuses it unless Secure, Path=/ and without Domain, so a
      // sibling subdomain can neither set nor shadow the session.
      useSecureCookies: false,
      cookiePrefix: "ktizo",
      ...(production ? { cookies: hostPrefixedCookies() } : {}),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: production, path: "/" },
      ipAddress: { ipAddressHeaders: [settings.CLIENT_IP_HEADER] },
      // The session and its user in one statement (a join) instead of two: every signed-in request
      // reads them.
      database: { joins: true },
    },
    plugins: [
      admin({ defaultRole: "user", adminRoles: ["admin"], bannedUserMessage: SIGN_IN_FAILED_MESSAGE }),
      // The emailed one-time link: signs an owner in whatever the lockout says (the mailbox proves them).
      // It never creates accounts, and an unknown address gets the same answer and no email.
      magicLink({
        disableSignUp: true,
        expiresIn: 15 * 60,
        sendMagicLink: async ({ email, url }) => {
          const userId = await userIdByEmail(email);
          if (userId) await emails.signInLink({ userId, to: email.toLowerCase(), url });
        },
      }),
    ],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        switch (ctx.path) {
          case "/sign-up/email": {
            // Checked before anything is written: a refused sign-up keeps no personal data (P30).
            const country = body.country;
            if (!isCountryCode(country)) {
              throw new APIError("BAD_REQUEST", {
                message: "Choose your country.",
                code: "COUNTRY_REQUIRED",
              });
            }
            const required = minimumAge(country);
            const confirmed = Number(body.confirmedAge);
            if (!Number.isInteger(confirmed) || confirmed < required) {
              throw new APIError("BAD_REQUEST", {
                message: `You must be ${required} or older to create an account.`,
                code: "AGE_NOT_CONFIRMED",
              });
            }
            assertPasswordAllowed(body.password);
            return;
          }
          case "/reset-password":
          case "/change-password":
            assertPasswordAllowed(body.newPassword);
            return;
          case "/sign-in/email": {
            const userId = await userIdByEmail(body.email);
            if (userId && (await isLockedOut(db, clock, userId, sourceOf(ctx, userId)))) {
              await verify({ hash: await equaliserHash(), password: String(body.password ?? "") });
              throw new APIError("UNAUTHORIZED", {
                message: SIGN_IN_FAILED_MESSAGE,
                code: "INVALID_EMAIL_OR_PASSWORD",
              });
            }
            return;
          }
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        // Any endpoint that started a session (sign-in, sign-in after verification, Google callback).
        const started = ctx.context.newSession;
        if (started) await onSessionCreated?.(started.user.id);
        const returned = ctx.context.returned;
        if (ctx.path === "/sign-up/email") {
          // New and existing addresses get the very same answer (better-auth's differ in the user's
          // fields); both hashed the password and sent one email, so they also take as long.
          return returned instanceof APIError ? undefined : ctx.json({ status: true });
        }
        if (ctx.path !== "/sign-in/email") return;
        const userId = await userIdByEmail((ctx.body as Record<string, unknown> | undefined)?.email);
        if (!userId) return;
        const source = sourceOf(ctx, userId);
        if (returned instanceof APIError) {
          if (returned.statusCode === 401) await recordFailedSignIn(db, clock, userId, source);
          return;
        }
        await clearSignInFailures(db, userId, source);
        const deviceId = source.knownDevice ? source.key.slice("device:".length) : undefined;
        ctx.setCookie(deviceCookie, newKnownDevice(settings.BETTER_AUTH_SECRET, userId, deviceId), {
          httpOnly: true,
          secure: production,
          sameSite: "lax",
          path: "/",
          maxAge: KNOWN_DEVICE_MAX_AGE_S,
        });
      }),
    },
  });
}

/** better-auth's cookies (session, its caches, admin impersonation, OAuth state) under `__Host-`. */
export const AUTH_COOKIE_NAMES = [
  "session_token",
  "session_data",
  "account_data",
  "dont_remember",
  "admin_session",
  "oauth_state",
] as const;

function hostPrefixedCookies() {
  return Object.fromEntries(AUTH_COOKIE_NAMES.map((name) => [name, { name: `__Host-ktizo.${name}` }]));
}

function assertPasswordAllowed(password: unknown): void {
  if (typeof password !== "string") {
    throw new APIError("BAD_REQUEST", { message: "Enter a password.", code: "PASSWORD_REQUIRED" });
  }
  const problem = passwordProblem(password);
  if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: "PASSWORD_NOT_ALLOWED" });
}

export type Auth = ReturnType<typeof createAuth>;
export { MAX_PASSWORD_BYTES };
