/** The consent cookie lives in one browser-safe module shared with the web app (P14, P18). */
export {
  CONSENT_COOKIE,
  CONSENT_MAX_AGE_S,
  type ConsentChoice,
  consentCookie,
  isConsentChoice,
  readConsent,
} from "@ktizo/services/consent";
