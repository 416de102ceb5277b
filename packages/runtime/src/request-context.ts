import type { ApiContext, SessionInfo } from "@ktizo/api";
import type { Runtime } from "./runtime.ts";

/**
 * Turns a request into the API context: the session is read from the cookie by better-auth, on the
 * server, every time. Cookies better-auth wants to refresh are collected in `responseHeaders`.
 */
export async function createApiContext(runtime: Runtime, request: Request): Promise<ApiContext> {
  const responseHeaders = new Headers();
  const result = await runtime.auth.api.getSession({ headers: request.headers, returnHeaders: true });
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
