import { z } from "zod";

/** Empty environment variables mean "not set", so `FOO=` in a .env file keeps the stand-in. */
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optionalString = () => z.preprocess(blankToUndefined, z.string().min(1).optional());
const optionalUrl = (protocols: RegExp = /^https?$/) =>
  z.preprocess(blankToUndefined, z.url({ protocol: protocols, message: "must be a URL" }).optional());
const secret = (prefix: RegExp, hint: string) =>
  z.preprocess(blankToUndefined, z.string().regex(prefix, hint).optional());

/** Every setting of @ktizo/services. Each real adapter turns on when its settings are present. */
/**
 * The model of the AI features unless ANTHROPIC_MODEL names another. claude-sonnet-4-5 reached its end of
 * life on 2026-11-30 (the SDK warns about it); the test against the loopback API checks that the SDK
 * has no warning for this one.
 */
export const DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-5-5";

export const servicesSettingsSchema = z
  .object({
    KTIZO_DATA_DIR: z.preprocess(blankToUndefined, z.string().min(1).default(".data")),
    SMTP_URL: optionalUrl(/^smtps?$/),
    MAIL_FROM: z.preprocess(blankToUndefined, z.string().min(3).default("Ktizo <no-reply@ktizo.localhost>")),
    TWILIO_ACCOUNT_SID: secret(/^AC[0-9a-fA-F]{32}$/, "must look like AC followed by 32 hex digits"),
    TWILIO_AUTH_TOKEN: optionalString(),
    TWILIO_FROM: secret(
      /^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/,
      "must be an E.164 number or a Messaging Service SID",
    ),
    TWILIO_API_BASE_URL: optionalUrl(),
    STRIPE_SECRET_KEY: secret(
      /^(sk|rk)_(test|live)_\w+$/,
      "must start with sk_test_, sk_live_, rk_test_ or rk_live_",
    ),
    STRIPE_WEBHOOK_SECRET: secret(/^whsec_\w+$/, "must start with whsec_"),
    STRIPE_PLATFORM_FEE_BPS: z.preprocess(
      blankToUndefined,
      z.coerce.number().int("must be a whole number of basis points").min(0).max(10_000).default(0),
    ),
    STRIPE_API_BASE_URL: optionalUrl(),
    UPLOADTHING_TOKEN: optionalString(),
    UPLOADTHING_API_BASE_URL: optionalUrl(),
    UPLOADTHING_INGEST_BASE_URL: optionalUrl(),
    UPLOADTHING_FILES_BASE_URL: optionalUrl(),
    ANTHROPIC_API_KEY: optionalString(),
    ANTHROPIC_MODEL: z.preprocess(blankToUndefined, z.string().min(1).default(DEFAULT_ANTHROPIC_MODEL)),
    ANTHROPIC_API_BASE_URL: optionalUrl(),
    GOOGLE_CLIENT_ID: optionalString(),
    GOOGLE_CLIENT_SECRET: optionalString(),
    GOOGLE_API_BASE_URL: optionalUrl(),
    GOOGLE_OAUTH_BASE_URL: optionalUrl(),
    BETTER_AUTH_SECRET: z.preprocess(
      blankToUndefined,
      z.string().min(32, "must be at least 32 characters").optional(),
    ),
    POSTHOG_KEY: optionalString(),
    POSTHOG_HOST: z.preprocess(
      blankToUndefined,
      z.url({ protocol: /^https?$/ }).default("https://eu.i.posthog.com"),
    ),
    ANALYTICS_ID_SECRET: z.preprocess(
      blankToUndefined,
      z.string().min(32, "must be at least 32 characters").optional(),
    ),
    SENTRY_DSN: optionalUrl(),
    EXCHANGE_RATES_URL: optionalUrl(/^https?$/),
  })
  .superRefine((s, ctx) => {
    // A real adapter with half its settings would fail on first use; refuse at start-up instead.
    const requireWith = (when: keyof typeof s, needed: Array<keyof typeof s>) => {
      if (s[when] === undefined) return;
      for (const name of needed) {
        if (s[name] === undefined)
          ctx.addIssue({ code: "custom", path: [name], message: `is required when ${when} is set` });
      }
    };
    requireWith("TWILIO_ACCOUNT_SID", ["TWILIO_AUTH_TOKEN", "TWILIO_FROM"]);
    requireWith("TWILIO_AUTH_TOKEN", ["TWILIO_ACCOUNT_SID"]);
    requireWith("STRIPE_SECRET_KEY", ["STRIPE_WEBHOOK_SECRET"]);
    requireWith("GOOGLE_CLIENT_ID", ["GOOGLE_CLIENT_SECRET", "BETTER_AUTH_SECRET"]);
    requireWith("GOOGLE_CLIENT_SECRET", ["GOOGLE_CLIENT_ID"]);
    requireWith("POSTHOG_KEY", ["ANALYTICS_ID_SECRET"]);
  });

export type ServicesSettings = z.output<typeof servicesSettingsSchema>;
/** What createServices accepts: process.env as it is, or an already parsed object. */
export type ServicesSettingsInput = z.input<typeof servicesSettingsSchema>;

/** A setting that is missing or malformed; the message names it and never echoes its value. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
  constructor(readonly problems: Array<{ setting: string; message: string }>) {
    super(`Invalid service settings: ${problems.map((p) => `${p.setting} ${p.message}`).join("; ")}`);
  }
}

export function parseServicesSettings(input: ServicesSettingsInput | NodeJS.ProcessEnv): ServicesSettings {
  const result = servicesSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  throw new SettingsError(
    result.error.issues.map((issue) => ({
      setting: issue.path.map(String).join(".") || "settings",
      message: issue.message,
    })),
  );
}

export interface SettingDescription {
  name: keyof ServicesSettings;
  purpose: string;
  default: string;
  turnsReal: string;
}

/** The settings table, for the README and the admin console. */
export function describeSettings(): SettingDescription[] {
  return [
    {
      name: "KTIZO_DATA_DIR",
      purpose: "Folder for embedded data (files under `files/`)",
      default: ".data",
      turnsReal: "-",
    },
    {
      name: "SMTP_URL",
      purpose: "SMTP server, `smtp://user:pass@host:587` or `smtps://…`",
      default: "unset: outbox table",
      turnsReal: "mail → SMTP",
    },
    {
      name: "MAIL_FROM",
      purpose: "Sender address of every email",
      default: "Ktizo <no-reply@ktizo.localhost>",
      turnsReal: "-",
    },
    {
      name: "TWILIO_ACCOUNT_SID",
      purpose: "Twilio account (AC…)",
      default: "unset: outbox table",
      turnsReal: "sms → Twilio (with the two below)",
    },
    { name: "TWILIO_AUTH_TOKEN", purpose: "Twilio auth token", default: "unset", turnsReal: "sms → Twilio" },
    {
      name: "TWILIO_FROM",
      purpose: "Sender number (E.164) or Messaging Service SID (MG…)",
      default: "unset",
      turnsReal: "sms → Twilio",
    },
    {
      name: "STRIPE_SECRET_KEY",
      purpose: "Stripe secret or restricted key",
      default: "unset: local test-mode checkout",
      turnsReal: "payments → Stripe + Connect",
    },
    {
      name: "STRIPE_WEBHOOK_SECRET",
      purpose: "Signing secret of the Stripe webhook endpoint (whsec_…)",
      default: "unset: generated per process in test mode",
      turnsReal: "required with STRIPE_SECRET_KEY",
    },
    {
      name: "STRIPE_PLATFORM_FEE_BPS",
      purpose: "Platform fee on connected-account orders, in basis points",
      default: "0",
      turnsReal: "-",
    },
    {
      name: "UPLOADTHING_TOKEN",
      purpose: "UploadThing token",
      default: "unset: local disk under KTIZO_DATA_DIR/files",
      turnsReal: "storage → UploadThing",
    },
    {
      name: "ANTHROPIC_API_KEY",
      purpose: "Anthropic API key",
      default: "unset: rule-based purchase-order extraction, other AI off",
      turnsReal: "ai → Anthropic",
    },
    {
      name: "ANTHROPIC_MODEL",
      purpose: "Model for AI features",
      default: DEFAULT_ANTHROPIC_MODEL,
      turnsReal: "-",
    },
    {
      name: "GOOGLE_CLIENT_ID",
      purpose: "Google OAuth client id (Gmail, Drive)",
      default: "unset: not connected",
      turnsReal: "google → Gmail/Drive (with secret)",
    },
    {
      name: "GOOGLE_CLIENT_SECRET",
      purpose: "Google OAuth client secret",
      default: "unset",
      turnsReal: "google → Gmail/Drive",
    },
    {
      name: "BETTER_AUTH_SECRET",
      purpose: "App secret; Google refresh tokens are encrypted with a key derived from it",
      default: "unset",
      turnsReal: "required with GOOGLE_CLIENT_ID",
    },
    {
      name: "POSTHOG_KEY",
      purpose: "PostHog project key",
      default: "unset: analytics off",
      turnsReal: "analytics → PostHog (consented events only)",
    },
    { name: "POSTHOG_HOST", purpose: "PostHog host", default: "https://eu.i.posthog.com", turnsReal: "-" },
    {
      name: "ANALYTICS_ID_SECRET",
      purpose: "HMAC key for pseudonymous analytics ids",
      default: "unset",
      turnsReal: "required with POSTHOG_KEY",
    },
    {
      name: "EXCHANGE_RATES_URL",
      purpose:
        "Daily reference exchange rates for comparing shops' prices: the ECB's eurofxref-daily.xml or a JSON `{ base, date, rates }` endpoint (refreshed by the `exchange-rates-refresh` job)",
      default: "unset: a fixed table of rates stated with its date",
      turnsReal: "exchange rates → the provider",
    },
    {
      name: "SENTRY_DSN",
      purpose:
        "Sentry DSN: server and browser errors via @sentry/remix, scrubbed by @ktizo/services/monitoring; the only Sentry setting the browser receives",
      default: "unset: error reports off",
      turnsReal: "monitoring → Sentry",
    },
    {
      name: "STRIPE_API_BASE_URL",
      purpose: "Override of api.stripe.com (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
    {
      name: "TWILIO_API_BASE_URL",
      purpose: "Override of api.twilio.com (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
    {
      name: "UPLOADTHING_API_BASE_URL",
      purpose: "Override of api.uploadthing.com (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
    {
      name: "UPLOADTHING_INGEST_BASE_URL",
      purpose: "Override of the UploadThing ingest server (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
    {
      name: "UPLOADTHING_FILES_BASE_URL",
      purpose: "Override of https://<appId>.ufs.sh for downloads (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
    {
      name: "ANTHROPIC_API_BASE_URL",
      purpose: "Override of api.anthropic.com (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
    {
      name: "GOOGLE_API_BASE_URL",
      purpose: "Override of www.googleapis.com for Gmail/Drive (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
    {
      name: "GOOGLE_OAUTH_BASE_URL",
      purpose: "Override of Google's OAuth endpoints: <base>/auth, /token, /revoke (tests: loopback)",
      default: "unset",
      turnsReal: "-",
    },
  ];
}
