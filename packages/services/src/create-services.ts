import type { Database } from "@ktizo/db";
import { createAnthropicAi } from "./ai/anthropic.ts";
import { databaseAiRecorder } from "./ai/audit.ts";
import { createGatedAi } from "./ai/gate.ts";
import { createRulesAi } from "./ai/local.ts";
import type { AiService, IsAiAllowed } from "./ai/types.ts";
import { createOffAnalytics, createPostHogAnalytics } from "./analytics/posthog.ts";
import type { AnalyticsService } from "./analytics/types.ts";
import { type Clock, systemClock } from "./clock.ts";
import { createFixedExchangeRates } from "./exchange-rates/fixed.ts";
import { createHttpExchangeRates } from "./exchange-rates/http.ts";
import type { ExchangeRatesService } from "./exchange-rates/types.ts";
import { createLocalGoogle } from "./google/local.ts";
import { createGoogleOAuth } from "./google/oauth.ts";
import type { GoogleService } from "./google/types.ts";
import { absoluteLinkMail, absoluteLinkSms } from "./mail/links.ts";
import { createOutboxMail } from "./mail/outbox.ts";
import { createSmtpMail } from "./mail/smtp.ts";
import type { MailService } from "./mail/types.ts";
import { createTestModePayments } from "./payments/local.ts";
import { createStripePayments } from "./payments/stripe.ts";
import type { PaymentsService } from "./payments/types.ts";
import { createHttpPrinterReports, createOffPrinterReports } from "./printers/http.ts";
import type { PrinterReportsService } from "./printers/types.ts";
import { parseServicesSettings, type ServicesSettings, type ServicesSettingsInput } from "./settings.ts";
import { createOutboxSms } from "./sms/outbox.ts";
import { createTwilioSms } from "./sms/twilio.ts";
import type { SmsService } from "./sms/types.ts";
import { createLocalDiskStorage } from "./storage/local.ts";
import type { StorageService } from "./storage/types.ts";
import { createUploadThingStorage } from "./storage/uploadthing.ts";

/** Every outside service the platform uses, each chosen once at start-up (real adapter or local stand-in). */
export interface Services {
  mail: MailService;
  sms: SmsService;
  payments: PaymentsService;
  storage: StorageService;
  ai: AiService;
  google: GoogleService;
  analytics: AnalyticsService;
  /** The shops' own printers (Moonraker, OctoPrint) reporting their finished prints (issue 14). */
  printers: PrinterReportsService;
  /** Reference exchange rates, to compare prices across currencies (issue 20); never used to charge. */
  exchangeRates: ExchangeRatesService;
}

export interface ServicesLogger {
  info(message: string): void;
}

export interface CreateServicesOptions {
  /** process.env as it is, or an already parsed settings object; validated here either way. */
  settings: ServicesSettingsInput | NodeJS.ProcessEnv;
  db: Database;
  clock?: Clock;
  /** The app's public URL (BETTER_AUTH_URL): every link in every email is made absolute on it. */
  publicUrl?: string;
  /** Receives one line per service for the start-up log. */
  logger?: ServicesLogger;
  /**
   * The organization- and user-level AI switches (the privacy work supplies it from the database).
   * Without it every AI call is refused: AI stays off until someone can say who allowed it.
   */
  isAiAllowed?: IsAiAllowed;
}

export interface CreatedServices {
  services: Services;
  settings: ServicesSettings;
  /** "mail: smtp (mail.example.com:587)", "payments: local test mode (simulated)", … */
  description: string[];
}

/** Host and port of a URL, never its credentials, for the log. */
function where(url: string): string {
  const parsed = new URL(url);
  return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
}

/**
 * Builds every service from validated settings: a real adapter where its settings are present, the local
 * stand-in otherwise. Throws SettingsError naming any malformed or incomplete setting.
 */
export function createServices(options: CreateServicesOptions): CreatedServices {
  const s = parseServicesSettings(options.settings);
  const clock = options.clock ?? systemClock;
  const { db } = options;
  const description: string[] = [];

  const mail = absoluteLinkMail(
    s.SMTP_URL ? createSmtpMail({ db, smtpUrl: s.SMTP_URL, from: s.MAIL_FROM }) : createOutboxMail(db),
    options.publicUrl ?? "http://localhost:3000",
  );
  description.push(s.SMTP_URL ? `mail: smtp (${where(s.SMTP_URL)})` : "mail: outbox (local stand-in)");

  const sms = absoluteLinkSms(
    s.TWILIO_ACCOUNT_SID && s.TWILIO_AUTH_TOKEN && s.TWILIO_FROM
      ? createTwilioSms({
          db,
          accountSid: s.TWILIO_ACCOUNT_SID,
          authToken: s.TWILIO_AUTH_TOKEN,
          from: s.TWILIO_FROM,
          apiBaseUrl: s.TWILIO_API_BASE_URL,
        })
      : createOutboxSms(db),
    options.publicUrl ?? "http://localhost:3000",
  );
  description.push(sms.provider === "twilio" ? "sms: twilio" : "sms: outbox (local stand-in)");

  const payments =
    s.STRIPE_SECRET_KEY && s.STRIPE_WEBHOOK_SECRET
      ? createStripePayments({
          secretKey: s.STRIPE_SECRET_KEY,
          webhookSecret: s.STRIPE_WEBHOOK_SECRET,
          platformFeeBps: s.STRIPE_PLATFORM_FEE_BPS,
          clock,
          apiBaseUrl: s.STRIPE_API_BASE_URL,
        })
      : createTestModePayments({
          db,
          clock,
          platformFeeBps: s.STRIPE_PLATFORM_FEE_BPS,
          webhookSecret: s.STRIPE_WEBHOOK_SECRET,
        });
  description.push(
    payments.provider === "stripe"
      ? `payments: stripe (${s.STRIPE_SECRET_KEY?.includes("_live_") ? "live" : "test"} key, fee ${s.STRIPE_PLATFORM_FEE_BPS} bps)`
      : "payments: local test mode (simulated, no real charges)",
  );

  const storage = s.UPLOADTHING_TOKEN
    ? createUploadThingStorage({
        token: s.UPLOADTHING_TOKEN,
        apiBaseUrl: s.UPLOADTHING_API_BASE_URL,
        ingestBaseUrl: s.UPLOADTHING_INGEST_BASE_URL,
        filesBaseUrl: s.UPLOADTHING_FILES_BASE_URL,
      })
    : createLocalDiskStorage({ dataDir: s.KTIZO_DATA_DIR });
  description.push(
    s.UPLOADTHING_TOKEN ? "storage: uploadthing" : `storage: local disk (${s.KTIZO_DATA_DIR}/files)`,
  );

  const aiBackend = s.ANTHROPIC_API_KEY
    ? createAnthropicAi({
        apiKey: s.ANTHROPIC_API_KEY,
        model: s.ANTHROPIC_MODEL,
        baseUrl: s.ANTHROPIC_API_BASE_URL,
      })
    : createRulesAi();
  // Every request that passes the switches is recorded in ai_request_log (issue 15, req. 6).
  const ai = createGatedAi(aiBackend, options.isAiAllowed ?? (() => false), {
    record: databaseAiRecorder(db),
    clock,
  });
  description.push(
    (s.ANTHROPIC_API_KEY
      ? `ai: anthropic (${s.ANTHROPIC_MODEL})`
      : "ai: local rules (purchase orders, scheduling, steering, reply templates; suggestions off)") +
      (options.isAiAllowed ? "" : " [no AI switch supplied: every call refused]"),
  );

  const google =
    s.GOOGLE_CLIENT_ID && s.GOOGLE_CLIENT_SECRET && s.BETTER_AUTH_SECRET
      ? createGoogleOAuth({
          db,
          clock,
          clientId: s.GOOGLE_CLIENT_ID,
          clientSecret: s.GOOGLE_CLIENT_SECRET,
          appSecret: s.BETTER_AUTH_SECRET,
          apiBaseUrl: s.GOOGLE_API_BASE_URL,
          oauthBaseUrl: s.GOOGLE_OAUTH_BASE_URL,
        })
      : createLocalGoogle({ db, clock });
  description.push(
    google.provider === "google"
      ? "google: oauth (gmail, drive; per user on connect)"
      : "google: local demo inbox and drive (no OAuth client)",
  );

  const analytics =
    s.POSTHOG_KEY && s.ANALYTICS_ID_SECRET
      ? createPostHogAnalytics({
          apiKey: s.POSTHOG_KEY,
          host: s.POSTHOG_HOST,
          idSecret: s.ANALYTICS_ID_SECRET,
        })
      : createOffAnalytics();
  description.push(
    analytics.provider === "posthog"
      ? `analytics: posthog (${where(s.POSTHOG_HOST)}, consent only)`
      : "analytics: off",
  );

  description.push(
    s.SENTRY_DSN ? `monitoring: sentry (${where(s.SENTRY_DSN)}, scrubbed)` : "monitoring: off",
  );

  const printers = s.BETTER_AUTH_SECRET
    ? createHttpPrinterReports({ appSecret: s.BETTER_AUTH_SECRET })
    : createOffPrinterReports();
  description.push(
    printers.provider === "http"
      ? "printers: moonraker/octoprint over http (API keys sealed)"
      : "printers: off (no BETTER_AUTH_SECRET to seal API keys)",
  );

  const exchangeRates = s.EXCHANGE_RATES_URL
    ? createHttpExchangeRates({ url: s.EXCHANGE_RATES_URL })
    : createFixedExchangeRates();
  description.push(
    s.EXCHANGE_RATES_URL
      ? `exchange rates: ${where(s.EXCHANGE_RATES_URL)}`
      : "exchange rates: fixed table (local stand-in)",
  );

  for (const line of description) options.logger?.info(line);
  return {
    services: { mail, sms, payments, storage, ai, google, analytics, printers, exchangeRates },
    settings: s,
    description,
  };
}
