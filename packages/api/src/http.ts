import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { ApiContext } from "./kernel/index.ts";
import { appRouter } from "./root.ts";

/** Where the routers answer over HTTP. */
export const API_ENDPOINT = "/api/trpc";

/** Mutations arrive as JSON only: tRPC's form-data and octet-stream inputs are refused, whatever the route. */
function isJson(request: Request): boolean {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

/**
 * The routers over HTTP for interactive components (@trpc/react-query); access is checked per procedure.
 * The host serves it ahead of the Remix app (no route matching or loader machinery per call), after it
 * has refused foreign origins, set the security headers and bounded the body (1 MB).
 */
export async function handleApiRequest(options: {
  request: Request;
  createContext: () => Promise<ApiContext>;
  /** An unexpected failure of a procedure (INTERNAL_SERVER_ERROR), for the log and error reports. */
  onInternalError: (cause: Error, procedure: string) => void;
}): Promise<Response> {
  const { request } = options;
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
    endpoint: API_ENDPOINT,
    req: request,
    router: appRouter,
    createContext: async () => {
      const ctx = await options.createContext();
      responseHeaders = ctx.responseHeaders;
      return ctx;
    },
    onError({ error, path }) {
      if (error.code !== "INTERNAL_SERVER_ERROR") return;
      options.onInternalError(error.cause ?? error, path ?? "?");
    },
  });
  for (const cookie of responseHeaders?.getSetCookie() ?? []) response.headers.append("set-cookie", cookie);
  return response;
}
