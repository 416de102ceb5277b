import { randomBytes, timingSafeEqual } from "node:crypto";
import { type AppLoadContext, createCookie } from "@remix-run/node";

/**
 * The OAuth `state` of a Google connection (issue 13): a random value in a signed, HttpOnly cookie that
 * must come back from Google unchanged, so a consent redirect started by someone else (CSRF, a replayed
 * link) connects nothing.
 */
function stateCookie(context: AppLoadContext) {
  const production = context.runtime.settings.app.NODE_ENV === "production";
  return createCookie(production ? "__Host-ktizo_google_state" : "ktizo_google_state", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: production,
    maxAge: 10 * 60,
    secrets: [context.runtime.settings.env.BETTER_AUTH_SECRET ?? ""],
  });
}

export async function newGoogleState(context: AppLoadContext): Promise<{ state: string; setCookie: string }> {
  const state = randomBytes(24).toString("base64url");
  return { state, setCookie: await stateCookie(context).serialize(state) };
}

/** True when the state Google sent back is the one in this browser's cookie. */
export async function checkGoogleState(request: Request, context: AppLoadContext, returned: string | null) {
  const expected: unknown = await stateCookie(context).parse(request.headers.get("cookie"));
  if (typeof expected !== "string" || !returned) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(returned);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function clearGoogleState(context: AppLoadContext): Promise<string> {
  return stateCookie(context).serialize("", { maxAge: 0 });
}
