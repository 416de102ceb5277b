/**
 * The consent cookie as the web app reads and writes it (P14, P18). Same name and values as
 * `@ktizo/api`'s privacy/consent.ts, which server-side analytics reads.
 */
export const CONSENT_COOKIE = "ktizo_consent";
export const CONSENT_MAX_AGE_S = 60 * 60 * 24 * 182;
export type ConsentChoice = "accepted" | "rejected";

/** true (accepted), false (rejected), null (not asked yet: the notice shows). */
export function readConsent(cookieHeader: string | null | undefined): boolean | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.split("=");
    if (name?.trim() !== CONSENT_COOKIE) continue;
    const value = rest.join("=").trim();
    return value === "accepted" ? true : value === "rejected" ? false : null;
  }
  return null;
}

export function consentCookie(choice: ConsentChoice, secure: boolean): string {
  return [
    `${CONSENT_COOKIE}=${choice}`,
    "Path=/",
    `Max-Age=${CONSENT_MAX_AGE_S}`,
    "SameSite=Lax",
    "HttpOnly",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}
