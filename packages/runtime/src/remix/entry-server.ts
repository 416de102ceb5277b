import { PassThrough } from "node:stream";
import { type AppLoadContext, createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";

const ABORT_DELAY = 5_000;

/** Streams the page; every script carries the request's CSP nonce (set by the host). */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // Stops a render still streaming after ABORT_DELAY. Cleared once it is complete: a pending timer
    // would keep the page's whole context (its loader data) alive for the delay after every response.
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const respond = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      // createElement rather than JSX: this file runs as plain TypeScript in the host process.
      createElement(RemixServer, { context: remixContext, url: request.url, abortDelay: ABORT_DELAY, nonce }),
      {
        nonce,
        onShellReady() {
          if (!waitForAll) respond();
        },
        onAllReady() {
          clearTimeout(timer);
          if (waitForAll) respond();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}

/**
 * Server errors worth a log line: not "page not found" (the app answers it with a page) and not
 * requests the browser abandoned. They are also reported (scrubbed) when error reports are on.
 */
export function handleError(
  error: unknown,
  { request, context }: { request: Request; context?: AppLoadContext },
): void {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 404) return;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (context?.runtime) context.runtime.log.error({ err: detail }, "request failed");
  else console.error(error);
  context?.runtime?.errors.capture(error, request);
}
