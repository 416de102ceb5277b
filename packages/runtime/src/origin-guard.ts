import type { IncomingHttpHeaders } from "node:http";

/**
 * Paths that take writes without a browser Origin, listed here and nowhere else. Each proves itself
 * another way: Stripe signs every webhook body (checked on the raw bytes before anything is applied).
 * The embed widget is not here: its page is framed on shops' sites, but its requests come from the
 * Ktizo origin inside the frame, so they pass the ordinary check.
 */
export const CROSS_ORIGIN_EXEMPT_PATHS: readonly { path: string; why: string }[] = [
  { path: "/api/webhooks/stripe", why: "Stripe events: no browser Origin, the signature is checked" },
  {
    path: "/api/webhooks/twilio",
    why: "Twilio texts and delivery reports: validateRequest checks the signature",
  },
];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheck {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Origins the app also answers on besides the request's own host (the public URL behind a proxy). */
  trustedOrigins: readonly string[];
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

function isOwnOrigin(origin: string, host: string | undefined, trusted: readonly string[]): boolean {
  const parsed = originOf(origin);
  if (!parsed || parsed === "null") return false;
  if (trusted.includes(parsed)) return true;
  // The browser writes Host itself, so a page elsewhere cannot make its request look same-host.
  return !!host && new URL(parsed).host === host.toLowerCase();
}

/**
 * Why a state-changing request is refused as cross-origin, or null when it may proceed (P: the server
 * never relies on SameSite). Every method but GET/HEAD/OPTIONS on every path of both apps (Remix
 * actions, resource routes, tRPC, auth) is checked, except the exempt list above:
 * 1. `Origin` (sent by every current browser on a POST) must be the app's own;
 * 2. without it, `Sec-Fetch-Site` must say same-origin;
 * 3. without either, `Referer` must be the app's own;
 * 4. a request with none of these is no browser's (or one stripped of them): it may proceed only
 *    without cookies, so it carries no session or other ambient authority to abuse.
 */
export function crossOriginRefusal({ method, path, headers, trustedOrigins }: OriginCheck): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  if (CROSS_ORIGIN_EXEMPT_PATHS.some((exempt) => exempt.path === path)) return null;
  const host = first(headers.host);
  const origin = first(headers.origin);
  if (origin !== undefined) {
    return isOwnOrigin(origin, host, trustedOrigins) ? null : "the request comes from another origin";
  }
  const fetchSite = first(headers["sec-fetch-site"]);
  if (fetchSite !== undefined) {
    return fetchSite === "same-origin" || fetchSite === "none" ? null : "the request comes from another site";
  }
  const referer = first(headers.referer);
  if (referer !== undefined) {
    return isOwnOrigin(referer, host, trustedOrigins) ? null : "the request comes from another origin";
  }
  return headers.cookie ? "the request carries cookies but says nothing about where it comes from" : null;
}
