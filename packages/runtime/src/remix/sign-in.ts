import { privacy } from "@ktizo/api";
import { type AppLoadContext, json, redirect } from "@remix-run/node";
import { authMessage, callAuth, withCookies } from "./auth.ts";
import { safeRedirect } from "./redirect.ts";

/**
 * The email-and-password sign-in action both apps use: fields checked on the server, better-auth through
 * its full handler (rate limits, lockout), one generic message for every failure. `landing` may send a
 * signed-in user somewhere other than where they were going.
 */
export async function signInWithPassword(
  request: Request,
  context: AppLoadContext,
  landing?: (userId: string) => Promise<string | null>,
) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const redirectTo = safeRedirect(form.get("redirectTo"));
  const fieldErrors: Record<string, string> = {};
  if (!email) fieldErrors.email = "Enter your email address.";
  if (!password) fieldErrors.password = "Enter your password.";
  if (Object.keys(fieldErrors).length > 0)
    return json({ formError: null, fieldErrors, email }, { status: 400 });

  const result = await callAuth(context, request, "/sign-in/email", { email, password });
  if (result.status === 200) {
    const userId = (result.data?.user as { id?: string } | undefined)?.id;
    const elsewhere = userId && landing ? await landing(userId) : null;
    return redirect(elsewhere ?? redirectTo, { headers: withCookies(result.setCookies) });
  }
  const formError =
    // A disabled account also answers 403; only an unconfirmed email gets its own message.
    result.status === 403 && result.data?.code === "EMAIL_NOT_VERIFIED"
      ? "Please confirm your email address first: we sent you a link when you signed up."
      : result.status === 429
        ? "Too many attempts. Wait a minute and try again."
        : `${authMessage(result.data, "Invalid email or password")}. After repeated failures sign-in pauses for 15 minutes; you can always reset your password.`;
  return json({ formError, fieldErrors, email }, { status: result.status === 429 ? 429 : 400 });
}

/**
 * "Email me a one-time link": better-auth's magic link, which signs an owner in even while their account
 * is paused by an attack elsewhere. Every address gets the same answer; only an account's owner gets mail.
 */
export async function sendSignInLink(request: Request, context: AppLoadContext) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "").trim();
  const fieldErrors: Record<string, string> = {};
  if (!email) {
    fieldErrors.email = "Enter your email address.";
    return json({ formError: null, fieldErrors, email }, { status: 400 });
  }
  const result = await callAuth(context, request, "/sign-in/magic-link", {
    email,
    callbackURL: safeRedirect(form.get("redirectTo")),
  });
  if (result.status === 429)
    return json(
      { formError: "Too many attempts. Wait a minute and try again.", fieldErrors, email },
      { status: 429 },
    );
  return json({
    formError: null,
    fieldErrors,
    email,
    linkSent: "If an account uses this address, we sent it a sign-in link. It works once, for 15 minutes.",
  });
}

/**
 * The web app's landing for `signInWithPassword`: an account scheduled for deletion lands on the privacy
 * center, which says when and offers undo (P21). Reads only the signed-in user's own status.
 */
export function privacyCenterIfDeleting(context: AppLoadContext) {
  return async (userId: string): Promise<string | null> =>
    (await privacy.deletionStatus(context.runtime.db, userId)).scheduled ? "/account/privacy" : null;
}
