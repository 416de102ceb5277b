// Browser-safe (imports nothing): the web app's routes and the API's server-side analytics read the
// same cookie through this one module (@ktizo/services/consent).
/**
 * The consent cookie (P14, P18): one of the three kinds of cookie Ktizo sets (session, preference,
 * consent). It holds only the visitor's choice; until it says "accepted" nothing reaches analytics.
 */
export const CONSENT_COOKIE = "ktizo_consent";
/** Its name over HTTPS (production): `__Host-` binds it to this exact host, Secure, on every path. */
export const SECURE_CONSENT_COOKIE = `__Host-${CONSENT_COOKIE}`;
/** Half a year, then the notice asks again. */
export const CONSENT_MAX_AGE_S = 60 * 60 * 24 * 182;

export type ConsentChoice = "accepted" | "rejected";

/** The analytics consent in a Cookie header: true (accepted), false (rejected) or null (not asked yet). */
export function readConsent(cookieHeader: string | null | undefined): boolean | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [rawName, ...rest] = part.split("=");
    const name = rawName?.trim();
    if (name !== CONSENT_COOKIE && name !== SECURE_CONSENT_COOKIE) continue;
    const value = rest.join("=").trim();
    if (value === "accepted") return true;
    if (value === "rejected") return false;
    return null;
  }
  return null;
}

/** The Set-Cookie value that records a choice. */
export function consentCookie(choice: ConsentChoice, options: { secure: boolean }): string {
  return [
    `${options.secure ? SECURE_CONSENT_COOKIE : CONSENT_COOKIE}=${choice}`,
    "Path=/",
    `Max-Age=${CONSENT_MAX_AGE_S}`,
    "SameSite=Lax",
    "HttpOnly",
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}

export function isConsentChoice(value: unknown): value is ConsentChoice {
  return value === "accepted" || value === "rejected";
}
