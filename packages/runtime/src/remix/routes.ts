import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { callAuth, withCookies } from "./auth.ts";
import { isTheme, serializeTheme } from "./theme.ts";

/** Route modules both apps mount as they are (sign-out, theme preference). */
export async function signOutAction({ request, context }: ActionFunctionArgs) {
  const result = await callAuth(context, request, "/sign-out", {});
  return redirect("/", { headers: withCookies(result.setCookies) });
}

/** Saves the theme in the preference cookie and returns to the page the form was on. */
export async function themeAction({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const theme = form.get("theme");
  if (!isTheme(theme)) return new Response("Unknown theme", { status: 400 });
  const referer = request.headers.get("referer");
  const back =
    referer && new URL(referer).origin === new URL(request.url).origin ? new URL(referer).pathname : "/";
  return redirect(back, { headers: { "set-cookie": await serializeTheme(theme) } });
}

export function redirectHome() {
  return redirect("/");
}
