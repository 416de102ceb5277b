import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One request as a loopback server received it: what tests assert on. */
export interface ReceivedRequest {
  method: string;
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as text (gunzipped when the client compressed it). */
  text: string;
}

export interface LoopbackReply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: unknown;
}

export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a random port, standing in for a provider's API in tests.
 * SDKs are pointed at it through their own host options, so the test sees the exact requests they send.
 */
export async function startLoopback(
  reply: (request: ReceivedRequest) => LoopbackReply | Promise<LoopbackReply>,
): Promise<LoopbackServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const gzipped = req.headers["content-encoding"] === "gzip" || (body[0] === 0x1f && body[1] === 0x8b);
      const request: ReceivedRequest = {
        method: req.method ?? "GET",
        path: (req.url ?? "/").split("?")[0] ?? "/",
        url: new URL(req.url ?? "/", "http://127.0.0.1"),
        headers: req.headers,
        body,
        text: gzipped ? gunzipSync(body).toString("utf8") : body.toString("utf8"),
      };
      received.push(request);
      try {
        const answer = await reply(request);
        const isRaw = typeof answer.body === "string" || Buffer.isBuffer(answer.body);
        const payload = answer.body === undefined ? "" : isRaw ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          ...(isRaw || answer.body === undefined ? {} : { "content-type": "application/json" }),
          ...answer.headers,
        });
        res.end(payload);
      } catch (error) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses an application/x-www-form-urlencoded body (Stripe, Twilio) into a flat record. */
export function formFields(request: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.text));
}
