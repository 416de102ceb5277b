import { randomBytes } from "node:crypto";

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export interface SecurityHeaderOptions {
  nonce: string;
  production: boolean;
  /** Embed routes may be framed; their route sets frame-ancestors from the shop's allowed domains. */
  embeddable: boolean;
  /** Extra origins scripts may connect to (analytics, error reports), from settings. */
  connectSources?: string[];
}

/**
 * Headers for every response (P6): a CSP with a per-request nonce, framing refused except on embed
 * routes, HSTS in production, no MIME sniffing, a strict referrer policy and no powerful features.
 */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const { nonce, production, embeddable } = options;
  const connect = ["'self'", ...(options.connectSources ?? []), ...(production ? [] : ["ws:", "wss:"])];
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd entry load its own chunks; Vite's dev client needs eval in development.
    `script-src 'nonce-${nonce}' 'strict-dynamic' 'self'${production ? "" : " 'unsafe-eval'"}`,
    // Vite injects <style> tags in development; production ships stylesheet links only.
    `style-src 'self'${production ? "" : " 'unsafe-inline'"}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect.join(" ")}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    ...(embeddable ? [] : ["frame-ancestors 'none'"]),
    ...(production ? ["upgrade-insecure-requests"] : []),
  ];
  return {
    "Content-Security-Policy": directives.join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(embeddable ? {} : { "X-Frame-Options": "DENY" }),
    ...(production ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload" } : {}),
  };
}
