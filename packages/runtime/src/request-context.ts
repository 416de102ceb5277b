import type { ApiContext, SessionInfo } from "@ktizo/api";
import type { Runtime } from "./runtime.ts";

/**
 * Whether better-auth's getSession could find a session (or want to answer with cookies) for a request
 * with this Cookie header: it reads only the session token cookie and, without one, the session-data
 * cookie (which it clears) before answering "no session". A request with neither, like most public
 * marketplace traffic, has no session, and asking better-auth costs more than many procedures.
 */
export function mayCarrySession(cookieHeader: string | null): boolean {
  return (
    cookieHeader !== null && (cookieHeader.includes("session_token") || cookieHeader.includes("session_data"))
  );
}

/**
 * Turns a request into the API context: the session is read from the cookie by better-auth, on the
 * server, every time (a request without a session cookie has none: mayCarrySession). Cookies
 * better-auth wants to refresh are collected in `responseHeaders`.
 */
export async function createApiContext(runtime: Runtime, request: Request): Promise<ApiContext> {
  const responseHeaders = new Headers();
  const result = mayCarrySession(request.headers.get("cookie"))
    ? await runtime.auth.api.getSession({ headers: request.headers, returnHeaders: true })
    : { headers: null, response: null };
  for (const cookie of result.headers?.getSetCookie() ?? []) responseHeaders.append("set-cookie", cookie);
  const found = result.response;
  const session: SessionInfo | null = found
    ? {
        sessionId: found.session.id,
        userId: found.user.id,
        email: found.user.email,
        name: found.user.name,
        emailVerified: found.user.emailVerified,
        platformRole: found.user.role ?? null,
        activeOrganizationId: found.session.activeOrganizationId ?? null,
      }
    : null;
  return {
    db: runtime.db,
    dbKind: runtime.dbKind,
    services: runtime.services,
    clock: runtime.clock,
    auth: runtime.auth,
    session,
    headers: request.headers,
    baseUrl: runtime.settings.auth.BETTER_AUTH_URL.replace(/\/+$/, ""),
    clientIp: request.headers.get(runtime.settings.auth.CLIENT_IP_HEADER) ?? "unknown",
    responseHeaders,
  };
}
