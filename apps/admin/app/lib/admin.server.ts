import { apiFor } from "@ktizo/runtime/remix";
import type { AppLoadContext } from "@remix-run/node";

/** Platform admins only: everyone else, signed in or not, is told the page does not exist. */
export async function requirePlatformAdmin(request: Request, context: AppLoadContext) {
  const result = await apiFor(request, context);
  if (result.session?.platformRole !== "admin") {
    throw new Response("Not found", { status: 404 });
  }
  return { ...result, session: result.session };
}
