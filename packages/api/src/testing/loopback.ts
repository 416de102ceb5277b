import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** A request a loopback endpoint received (tests only). */
export interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A real HTTP server on 127.0.0.1 standing in for PostHog, Anthropic or Sentry in tests. */
export async function startLoopback(
  reply: (r: Received) => { status?: number; body?: unknown } = () => ({}),
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const gz = req.headers["content-encoding"] === "gzip" || (body[0] === 0x1f && body[1] === 0x8b);
      const r: Received = {
        method: req.method ?? "GET",
        path: (req.url ?? "/").split("?")[0] ?? "/",
        headers: req.headers,
        text: gz ? gunzipSync(body).toString("utf8") : body.toString("utf8"),
      };
      received.push(r);
      const answer = reply(r);
      res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
