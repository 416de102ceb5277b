import { callAuth, safeRedirect, withCookies } from "@ktizo/runtime/remix";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";

/** Starts Google sign-in (only configured when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set). */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const result = await callAuth(context, request, "/sign-in/social", {
    provider: "google",
    callbackURL: safeRedirect(form.get("redirectTo")),
    errorCallbackURL: "/sign-in",
  });
  const url = typeof result.data?.url === "string" ? result.data.url : null;
  if (result.status !== 200 || !url) throw new Response("Google sign-in is not available", { status: 404 });
  return redirect(url, { headers: withCookies(result.setCookies) });
}

export function loader() {
  return redirect("/sign-in");
}
