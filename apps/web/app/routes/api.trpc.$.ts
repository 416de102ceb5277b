import { appRouter } from "@ktizo/api";
import { createApiContext } from "@ktizo/runtime";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

/** The routers over HTTP for interactive components (@trpc/react-query); access is checked per procedure. */
async function handle({ request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
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
      console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
      context.runtime.errors.capture(error.cause ?? error, request);
    },
  });
  for (const cookie of responseHeaders?.getSetCookie() ?? []) response.headers.append("set-cookie", cookie);
  return response;
}

export const loader = handle;
export const action = handle;
