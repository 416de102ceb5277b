import { type ApiContext, createCaller } from "@ktizo/api";
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { createApiContext } from "../request-context.ts";

const shared = new WeakMap<AppLoadContext, { cookie: string | null; ctx: Promise<ApiContext> }>();

/**
 * The API context of a page view, made once: Remix runs the root's and the page's loaders for one
 * request with the same load context (made per request by the host), each with its own copy of the
 * Request, and each asked for the session (a database read per loader on signed-in pages), and each
 * organization procedure for the member's role (`pageReads`: read once per page view). Only for
 * reads: an action may change the session (sign-in, switching shop), so a POST makes its own, and the
 * loaders that run after it read the session as the action left it.
 */
export function requestApiContext(request: Request, context: AppLoadContext): Promise<ApiContext> {
  if (request.method !== "GET" && request.method !== "HEAD")
    return createApiContext(context.runtime, request);
  const cookie = request.headers.get("cookie");
  const known = shared.get(context);
  if (known && known.cookie === cookie) return known.ctx;
  const ctx = createApiContext(context.runtime, request).then(
    (made): ApiContext => ({ ...made, pageReads: new Map() }),
  );
  shared.set(context, { cookie, ctx });
  return ctx;
}

/**
 * The API as the signed-in user of this request: loaders and actions call routers through this
 * server-side caller (the same procedures the browser reaches over /api/trpc).
 */
export async function apiFor(request: Request, context: AppLoadContext) {
  const ctx = await requestApiContext(request, context);
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
