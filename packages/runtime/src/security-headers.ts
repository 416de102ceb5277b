import { randomBytes } from "node:crypto";

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export interface SecurityHeaderOptions {
  nonce: string;
  /** HTTPS only: HSTS and upgrading insecure requests. */
  production: boolean;
  /**
   * Served by Vite's dev server (`pnpm dev`), which injects `<style>` tags and evaluates modules: only
   * then is the policy relaxed. Tests and `pnpm start` get exactly the policy production sends.
   */
  viteDev?: boolean;
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
  const viteDev = options.viteDev ?? false;
  const connect = ["'self'", ...(options.connectSources ?? []), ...(viteDev ? ["ws:", "wss:"] : [])];
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd entry load its own chunks; Vite's dev client needs eval in development.
    `script-src 'nonce-${nonce}' 'strict-dynamic' 'self'${viteDev ? " 'unsafe-eval'" : ""}`,
    // Stylesheet links, plus <style nonce> elements for values set per page (a shop's accent colour);
    // never style attributes. Vite's dev server injects <style> tags of its own.
    `style-src 'self' ${viteDev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
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
