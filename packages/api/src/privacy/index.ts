/** What other packages wire in: the runtime (jobs, AI switch), the web app (consent, downloads), auth hooks. */
export { listOpenRequests, type OpenPrivacyRequest } from "./admin.ts";
export {
  CONSENT_COOKIE,
  type ConsentChoice,
  consentCookie,
  isConsentChoice,
  readConsent,
} from "./consent.ts";
export {
  cancelDeletion,
  DELETION_GRACE_DAYS,
  type DeletionStatus,
  deletionStatus,
  purgeDueAccounts,
  requestDeletion,
} from "./deletion.ts";
export { attachmentHeaders, getExportFile, runPendingExports } from "./export.ts";
export {
  PRIVACY_JOBS,
  type PrivacyJobDeps,
  privacyExportJob,
  privacyPolicyAnnounceJob,
  privacyPurgeJob,
} from "./jobs.ts";
export {
  acceptPolicies,
  announcePendingPolicies,
  currentPolicies,
  POLICY_NOTICE_DAYS,
  pendingPolicies,
  publishPolicy,
} from "./policies.ts";
export { ensurePublishedPolicies, PRIVACY_POLICY_V1 } from "./policy-texts.ts";
export {
  canSendMarketing,
  captureAnalytics,
  createIsAiAllowed,
  getPrivacySettings,
  type PrivacySettings,
} from "./settings.ts";
export {
  CLOSED_SHOP_NAME,
  cancelShop,
  purgeDueShops,
  type ShopCancellationStatus,
  shopCancellationStatus,
  undoShopCancellation,
} from "./shop-cancellation.ts";
