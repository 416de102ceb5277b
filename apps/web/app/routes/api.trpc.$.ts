import { appRouter } from "@ktizo/api";
import { createApiContext } from "@ktizo/runtime";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

/** Mutations arrive as JSON only: tRPC's form-data and octet-stream inputs are refused, whatever the route. */
function isJson(request: Request): boolean {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

/**
 * The routers over HTTP for interactive components (@trpc/react-query); access is checked per procedure.
 * The host has already refused foreign origins and bounded the body (1 MB) before this runs.
 */
async function handle({ request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.method !== "GET" && !isJson(request)) {
    return Response.json(
      {
        error: {
          message: "tRPC requests with a body must be application/json",
          code: "UNSUPPORTED_MEDIA_TYPE",
        },
      },
      { status: 415 },
    );
  }
  let responseHeaders: Headers | undefined;
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => {
      const ctx = await createApiContext(context.runtime, request);
      responseHeaders = ctx.responseHeaders;
      return ctx;
    },
    onError({ error, path }) {
      if (error.code !== "INTERNAL_SERVER_ERROR") return;
      const cause = error.cause ?? error;
      context.runtime.log.error(
        { procedure: path ?? "?", err: cause.stack ?? cause.message },
        "procedure failed",
      );
      context.runtime.errors.capture(error.cause ?? error, request);
    },
  });
  for (const cookie of responseHeaders?.getSetCookie() ?? []) response.headers.append("set-cookie", cookie);
  return response;
}

export const loader = handle;
export const action = handle;
