import { randomBytes } from "node:crypto";
import { marketplace } from "@ktizo/api";
import { type AppLoadContext, createCookie } from "@remix-run/node";

/**
 * Server-side helpers of the marketplace pages: the anonymous upload session (a signed, HttpOnly
 * cookie so a visitor can quote before signing up) and the upload size limit. The analysis worker pool
 * belongs to the runtime (`context.runtime.analysisPool`).
 */

/** MARKETPLACE_MAX_UPLOAD_MB (validated with the runtime settings; default 100), in bytes. */
export function maxUploadBytes(context: AppLoadContext): number {
  return context.runtime.settings.app.MARKETPLACE_MAX_UPLOAD_MB * 1024 * 1024;
}

function uploadCookie(context: AppLoadContext) {
  const secret = context.runtime.settings.env.BETTER_AUTH_SECRET ?? "";
  const production = context.runtime.settings.app.NODE_ENV === "production";
  // Over HTTPS `__Host-`: Secure, this exact host, every path, so a sibling subdomain cannot plant one.
  return createCookie(production ? "__Host-ktizo_upload_session" : "ktizo_upload_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: production,
    maxAge: 60 * 60 * 24 * 7,
    secrets: [secret],
  });
}

/** The visitor's upload-session id, if their signed cookie carries a valid one. */
export async function readUploadSession(
  request: Request,
  context: AppLoadContext,
): Promise<string | undefined> {
  const value: unknown = await uploadCookie(context).parse(request.headers.get("cookie"));
  const parsed = marketplace.uploadSessionIdSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The visitor's session id, creating one (and the Set-Cookie header) when there is none. */
export async function ensureUploadSession(request: Request, context: AppLoadContext) {
  const existing = await readUploadSession(request, context);
  if (existing) return { uploadSessionId: existing, setCookie: null };
  const uploadSessionId = randomBytes(24).toString("base64url");
  return { uploadSessionId, setCookie: await uploadCookie(context).serialize(uploadSessionId) };
}

/** Clears the cookie once its uploads were claimed by a signed-in user. */
export async function clearUploadSession(context: AppLoadContext): Promise<string> {
  return uploadCookie(context).serialize("", { maxAge: 0 });
}

/**
 * Signed in with an anonymous upload session: the uploads become the user's (on the first marketplace
 * page after sign-up or sign-in). Returns the Set-Cookie header that clears the cookie, if any.
 */
export async function claimAnonymousUploads(
  request: Request,
  context: AppLoadContext,
  userId: string | null,
): Promise<string | null> {
  if (!userId) return null;
  const uploadSessionId = await readUploadSession(request, context);
  if (!uploadSessionId) return null;
  await marketplace.claimUploads(context.runtime.db, userId, uploadSessionId);
  return clearUploadSession(context);
}
