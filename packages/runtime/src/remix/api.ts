import { createCaller } from "@ktizo/api";
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { createApiContext } from "../request-context.ts";

/**
 * The API as the signed-in user of this request: loaders and actions call routers through this
 * server-side caller (the same procedures the browser reaches over /api/trpc).
 */
export async function apiFor(request: Request, context: AppLoadContext) {
  const ctx = await createApiContext(context.runtime, request);
  // Unexpected failures are reported even when the route turns them into a friendly form error.
  const api = createCaller(ctx, {
    onError: ({ error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        context.runtime.errors.capture(error.cause ?? error, request);
    },
  });
  return { api, session: ctx.session, responseHeaders: ctx.responseHeaders };
}

/** The session, or a redirect to sign in that comes back here afterwards. */
export async function requireSession(request: Request, context: AppLoadContext) {
  const result = await apiFor(request, context);
  if (!result.session) {
    const url = new URL(request.url);
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return { ...result, session: result.session };
}
