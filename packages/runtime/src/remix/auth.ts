import type { AppLoadContext } from "@remix-run/node";

/** The client IP the host wrote into its trusted header (rate limits key on it). */
export function clientIp(request: Request, context: AppLoadContext): string {
  return request.headers.get(context.runtime.settings.auth.CLIENT_IP_HEADER) ?? "unknown";
}

/**
 * Calls a better-auth endpoint on behalf of the browser's request, through the full auth handler so
 * that rate limits, lockout and hooks apply exactly as for a direct /api/auth call.
 * Returns the status, the JSON body and the Set-Cookie headers to forward.
 */
export async function callAuth(
  context: AppLoadContext,
  request: Request,
  path: string,
  body: Record<string, unknown>,
): Promise<{ status: number; data: Record<string, unknown> | null; setCookies: string[] }> {
  const { auth, settings } = context.runtime;
  const base = settings.auth.BETTER_AUTH_URL;
  const headers = new Headers({ "content-type": "application/json", origin: new URL(base).origin });
  for (const name of ["cookie", "user-agent", settings.auth.CLIENT_IP_HEADER]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const response = await auth.handler(
    new Request(`${base}/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) }),
  );
  const text = await response.text();
  let data: Record<string, unknown> | null = null;
  try {
    data = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    data = null;
  }
  return { status: response.status, data, setCookies: response.headers.getSetCookie() };
}

export function withCookies(setCookies: string[], init: Headers = new Headers()): Headers {
  for (const cookie of setCookies) init.append("set-cookie", cookie);
  return init;
}

/** The message better-auth returned, or a fallback; never a stack or an internal detail. */
export function authMessage(data: Record<string, unknown> | null, fallback: string): string {
  return typeof data?.message === "string" && data.message.length < 300 ? data.message : fallback;
}
