import { z } from "zod";
import type { Expect, Same } from "../outputs.ts";
import type { OpenPrivacyRequest } from "./admin.ts";
import type { DeletionStatus } from "./deletion.ts";
import type { ExportSummary } from "./export.ts";
import type { ConnectedGoogleAccount } from "./google.ts";
import type { MessagingChoice } from "./messaging.ts";
import type { PendingPolicies, PolicyVersionSummary } from "./policies.ts";
import { POLICY_KINDS } from "./policies.ts";
import type { PrivacySettings } from "./settings.ts";
import type { ShopCancellationStatus } from "./shop-cancellation.ts";

/**
 * What the privacy router's procedures answer, validated on the way out (tRPC `.output`, strict: a field
 * the schema does not name is refused, so no column reaches the browser by accident). The resolvers'
 * return types must fit these (tRPC checks it at compile time); root.test.ts fails for a procedure
 * without one.
 */

const privacySettingsSchema = z
  .object({
    analyticsOff: z.boolean(),
    aiOff: z.boolean(),
    marketingOff: z.boolean(),
    restrictProcessing: z.boolean(),
    objectProcessing: z.boolean(),
  })
  .strict();

const shopCancellationStatusSchema = z
  .object({
    scheduled: z.boolean(),
    requestId: z.string().nullable(),
    requestedAt: z.date().nullable(),
    dueAt: z.date().nullable(),
  })
  .strict();

const exportSummarySchema = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "expired", "failed", "ready"]),
    requestedAt: z.date(),
    completedAt: z.date().nullable(),
    expiresAt: z.date().nullable(),
  })
  .strict();

/** An account deletion has the same shape as a shop cancellation: both are a scheduled removal. */
const deletionStatusSchema = shopCancellationStatusSchema;

const policyVersionSummarySchema = z
  .object({
    id: z.string(),
    kind: z.enum(POLICY_KINDS),
    version: z.number(),
    title: z.string(),
    summary: z.string(),
    effectiveAt: z.date(),
    publishedAt: z.date(),
  })
  .strict();

const pendingPoliciesSchema = z
  .object({ upcoming: z.array(policyVersionSummarySchema), unaccepted: z.array(policyVersionSummarySchema) })
  .strict();

const openPrivacyRequestSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["deletion", "export", "shop_deletion"]),
    status: z.string(),
    userId: z.string().nullable(),
    email: z.string().nullable(),
    shopName: z.string().nullable(),
    requestedAt: z.date(),
    dueAt: z.date().nullable(),
    ageDays: z.number(),
    urgency: z.enum(["warn", "ok", "overdue"]),
  })
  .strict();

export const settingsGetOutput = privacySettingsSchema;

export const settingsUpdateOutput = privacySettingsSchema;

export const organizationGetOutput = z.object({ aiOff: z.boolean() }).strict();

export const organizationSetAiOffOutput = organizationGetOutput;

export const organizationCancellationOutput = shopCancellationStatusSchema;

export const organizationCancelOutput = shopCancellationStatusSchema;

export const organizationUndoCancelOutput = shopCancellationStatusSchema;

export const exportsListOutput = z.array(exportSummarySchema);

export const exportsRequestOutput = exportSummarySchema;

export const exportsDownloadOutput = z
  .object({
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().nullable(),
    body: z.instanceof(ReadableStream),
  })
  .strict();

export const deletionStatusOutput = deletionStatusSchema;

export const deletionRequestOutput = deletionStatusSchema;

export const deletionCancelOutput = deletionStatusSchema;

export const policiesCurrentOutput = z.array(
  z
    .object({
      kind: z.enum(POLICY_KINDS),
      current: policyVersionSummarySchema.nullable(),
      upcoming: policyVersionSummarySchema.nullable(),
    })
    .strict(),
);

export const policiesGetOutput = policyVersionSummarySchema
  .extend({ body: z.string(), versions: z.array(policyVersionSummarySchema) })
  .strict();

export const policiesPendingOutput = pendingPoliciesSchema;

export const policiesAcceptOutput = z.array(z.string());

export const adminOpenRequestsOutput = z.array(openPrivacyRequestSchema);

export const adminPolicyVersionsOutput = z.array(
  z
    .object({
      acceptances: z.number(),
      id: z.string(),
      title: z.string(),
      kind: z.enum(POLICY_KINDS),
      version: z.number(),
      summary: z.string(),
      effectiveAt: z.date(),
      publishedAt: z.date(),
    })
    .strict(),
);

export const adminPublishPolicyOutput = policyVersionSummarySchema;

const messagingChoiceSchema = z
  .object({
    customerId: z.string(),
    shopName: z.string(),
    phoneE164: z.string().nullable(),
    notifyChannel: z.enum(["email", "sms", "both", "none"]),
    smsConsentAt: z.date().nullable(),
    smsConsentSource: z.enum(["staff", "customer"]).nullable(),
  })
  .strict();
export const messagingListOutput = z.array(messagingChoiceSchema);

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
const connectedGoogleAccountSchema = z
  .object({
    organizationId: z.string(),
    organizationName: z.string(),
    email: z.string(),
    scopes: z.array(z.string()),
    connectedAt: z.date(),
    linkedThreads: z.number(),
    cachedMessages: z.number(),
    driveFolders: z.number(),
  })
  .strict();
export const googleAccountsOutput = z.array(connectedGoogleAccountSchema);
export const googleDisconnectOutput = z.object({ revoked: z.boolean() }).strict();

export type OutputChecks = [
  Expect<Same<z.output<typeof messagingChoiceSchema>, MessagingChoice>>,
  Expect<Same<z.output<typeof privacySettingsSchema>, PrivacySettings>>,
  Expect<Same<z.output<typeof shopCancellationStatusSchema>, ShopCancellationStatus>>,
  Expect<Same<z.output<typeof exportSummarySchema>, ExportSummary>>,
  Expect<Same<z.output<typeof deletionStatusSchema>, DeletionStatus>>,
  Expect<Same<z.output<typeof policyVersionSummarySchema>, PolicyVersionSummary>>,
  Expect<Same<z.output<typeof pendingPoliciesSchema>, PendingPolicies>>,
  Expect<Same<z.output<typeof openPrivacyRequestSchema>, OpenPrivacyRequest>>,
  Expect<Same<z.output<typeof connectedGoogleAccountSchema>, ConnectedGoogleAccount>>,
];
