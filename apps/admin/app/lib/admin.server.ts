import { apiFor } from "@ktizo/runtime/remix";
import { type AppLoadContext, redirect } from "@remix-run/node";

/**
 * Platform admins only. A visitor who is not signed in is sent to the console's sign-in page (the console's
 * address is no secret); a signed-in user who is not a platform admin is told the page does not exist.
 */
export async function requirePlatformAdmin(request: Request, context: AppLoadContext) {
  const result = await apiFor(request, context);
  if (!result.session) {
    const url = new URL(request.url);
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (result.session.platformRole !== "admin") {
    throw new Response("Not found", { status: 404 });
  }
  return { ...result, session: result.session };
}
