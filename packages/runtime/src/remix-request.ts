import type { IncomingHttpHeaders } from "node:http";
import type { Writable } from "node:stream";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { type BodyTooLargeError, boundedBody, declaredLengthExceeds, describeBytes } from "./body-limit.ts";

/** How long a client that keeps sending after its answer is given before the connection is cut. */
const LINGER_MS = 2_000;

/**
 * Reads and drops whatever of the body is still coming, for a short while: closing at once would reset
 * the connection while the client is still sending, and a reset can destroy the answer before the
 * client reads it. A client that has not stopped after LINGER_MS is cut off.
 */
function discardRest(req: ExpressRequest): void {
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, LINGER_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  // Nothing consumes it any more: the bounded body's reader lets go, and the bytes fall on the floor.
  req.removeAllListeners("data");
  req.resume();
}

export interface BoundedHandlerOptions {
  /** The app: a Remix request handler (or a test's stand-in). */
  handle: (request: Request, res: ExpressResponse) => Promise<Response>;
  /** The body limit of a path, in bytes. */
  limitFor: (path: string) => number;
}

function webHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * Copies a web stream to the response as @remix-run/node's writeReadableStreamToWritable does, except
 * that the chunks that arrive in one turn of the event loop leave in one socket write: React streams a
 * page in chunks of about 2 KB, and written one by one each was a system call (a tenth of a page's
 * CPU in the bench:api profile). A stream that keeps sending (server-sent events) still goes out at
 * the end of each turn.
 */
export async function writeBody(body: ReadableStream<Uint8Array>, res: Writable) {
  const reader = body.getReader();
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(uncork);
      }
      res.write(value);
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  }
}

async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  if (response.body) await writeBody(response.body, res);
  else res.end();
}

/** The 413 answer, sent at once; the rest of the body is dropped unread, never parsed or kept. */
function sendTooLarge(req: ExpressRequest, res: ExpressResponse, limit: number): void {
  const message = `The request body is too large (at most ${describeBytes(limit)} here).`;
  const wantsJson = req.path.startsWith("/api/") || (req.headers.accept ?? "").includes("application/json");
  res.status(413).set({ "cache-control": "no-store" });
  if (wantsJson) res.json({ error: message });
  else res.type("text/plain").send(message);
  discardRest(req);
}

/**
 * What @remix-run/express's handler does (its request and response helpers copied above), with the body bounded while it streams: a declared length
 * over the path's limit is answered 413 before anything runs; a chunked body is counted as the route
 * reads it, and the moment it passes the limit the host answers 413 and aborts the request, so the
 * route's parser (form data, JSON, a webhook signature, a schema) only ever sees a body within bounds.
 */
export function boundedRequestHandler({ handle, limitFor }: BoundedHandlerOptions) {
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const controller = new AbortController();
    const limit = limitFor(req.path);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const refuse = (_error?: BodyTooLargeError) => {
      controller.abort();
      if (!res.headersSent) sendTooLarge(req, res, limit);
      else req.socket.destroy();
    };
    if (hasBody && declaredLengthExceeds(req, limit)) return refuse();
    try {
      const request = new Request(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`, {
        method: req.method,
        headers: webHeaders(req.headers),
        signal: controller.signal,
        ...(hasBody ? { body: boundedBody(req, limit, refuse), duplex: "half" } : {}),
      } as RequestInit);
      // Abort loaders and actions once the response can no longer be written (the client left).
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const response = await handle(request, res);
      if (res.headersSent) {
        // The 413 went first; whatever the route made of the broken body is dropped.
        await response.body?.cancel().catch(() => {});
        return;
      }
      await sendResponse(res, response);
      // A route that answered without reading the whole body (a redirect to sign in, a refusal).
      if (hasBody) discardRest(req);
    } catch (error) {
      if (res.headersSent) return;
      next(error);
    }
  };
}
