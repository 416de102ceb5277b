export { createAnthropicAi } from "./ai/anthropic.ts";
export { databaseAiRecorder, recordAiRequest } from "./ai/audit.ts";
export { type AiAudit, createGatedAi } from "./ai/gate.ts";
export { createOffAi, createRulesAi, extractPurchaseOrderByRules, LOCAL_RULES_MODEL } from "./ai/local.ts";
export { keepKnown, steerByRules } from "./ai/steer.ts";
export {
  AiDisabledError,
  type AiFeature,
  type AiRequestRecord,
  type AiRequestRecorder,
  type AiScope,
  type AiService,
  AiUnavailableError,
  type AiUsage,
  type DraftReplyInput,
  type ExplainLateInput,
  type IsAiAllowed,
  type LateExplanation,
  type PurchaseOrderExtraction,
  type ReplyDraft,
  type ScheduleInput,
  type SchedulePlan,
  type SteeredConstraint,
  type SteerInput,
  type SteerResult,
  type SuggestInput,
  type Suggestions,
} from "./ai/types.ts";
export { createOffAnalytics, createPostHogAnalytics } from "./analytics/posthog.ts";
export { pseudonymousId } from "./analytics/privacy.ts";
export type { AnalyticsEvent, AnalyticsService, AnalyticsValue } from "./analytics/types.ts";
export { type Clock, fixedClock, systemClock } from "./clock.ts";
export {
  type CreatedServices,
  type CreateServicesOptions,
  createServices,
  type Services,
  type ServicesLogger,
} from "./create-services.ts";
export { ProviderError, ServiceInputError } from "./errors.ts";
export { createFixedExchangeRates, FIXED_RATES } from "./exchange-rates/fixed.ts";
export { createHttpExchangeRates, parseEcbXml, parseJsonRates } from "./exchange-rates/http.ts";
export type { ExchangeRatesService, ReferenceRates } from "./exchange-rates/types.ts";
export { createLocalGoogle, LOCAL_GOOGLE_CODE } from "./google/local.ts";
export { addressOf, buildMimeMessage, replySubject } from "./google/mime.ts";
export { createGoogleOAuth } from "./google/oauth.ts";
export {
  type DriveFileSummary,
  GmailHistoryExpiredError,
  type GmailMessageFull,
  type GmailOutgoing,
  type GmailThreadFull,
  type GmailThreadSummary,
  GOOGLE_SCOPE_EXPLANATIONS,
  GOOGLE_SCOPE_LIST,
  GOOGLE_SCOPES,
  type GoogleAccountRef,
  type GoogleAccountStatus,
  GoogleItemNotFoundError,
  GoogleNotConfiguredError,
  GoogleNotConnectedError,
  type GoogleService,
} from "./google/types.ts";
export { absoluteLinkMail, absoluteLinkSms, absoluteUrl, relativeLinks } from "./mail/links.ts";
export { createOutboxMail } from "./mail/outbox.ts";
export { createSmtpMail } from "./mail/smtp.ts";
export type { MailAttachment, MailMessage, MailService } from "./mail/types.ts";
export type {
  SignedTestEvent,
  TestCheckoutSession,
  TestModePayments,
  TestSubscriptionSession,
} from "./payments/local.ts";
export type {
  BillingPortalInput,
  CheckoutInput,
  CheckoutSessionStatus,
  OnboardingInput,
  PaymentEvent,
  PaymentsService,
  RefundInput,
  SubscriptionCheckoutInput,
} from "./payments/types.ts";
export { platformFee } from "./payments/types.ts";
export { signTestWebhook, WEBHOOK_TOLERANCE_SECONDS, WebhookSignatureError } from "./payments/webhook.ts";
export { createHttpPrinterReports, createOffPrinterReports } from "./printers/http.ts";
export {
  type PrinterConnectionKind,
  type PrinterEndpoint,
  type PrinterJobReport,
  type PrinterReportsService,
  PrinterUnreachableError,
} from "./printers/types.ts";
export {
  describeSettings,
  parseServicesSettings,
  type ServicesSettings,
  type ServicesSettingsInput,
  type SettingDescription,
  SettingsError,
  servicesSettingsSchema,
} from "./settings.ts";
export { createOutboxSms } from "./sms/outbox.ts";
export { createTwilioSms, signTwilioTestRequest } from "./sms/twilio.ts";
export { isValidSmsSender, type SmsMessage, type SmsSendResult, type SmsService } from "./sms/types.ts";
export { createLocalDiskStorage } from "./storage/local.ts";
export {
  FILE_KEY_PATTERN,
  type PutFileInput,
  type PutStreamInput,
  type StagedFile,
  type StorageService,
  type StoredFile,
  type StoredFileStream,
} from "./storage/types.ts";

import type { TestModePayments } from "./payments/local.ts";
import type { PaymentsService } from "./payments/types.ts";

/** True for the local test-mode payments, whose checkout page and simulated webhooks the app serves. */
export function isTestModePayments(payments: PaymentsService): payments is TestModePayments {
  return payments.provider === "test-mode";
}
export { extractPdfText, PDF_LIMITS, type PdfTextResult } from "./ai/pdf-text.ts";
export { amountToMinor } from "./ai/po-reader.ts";
