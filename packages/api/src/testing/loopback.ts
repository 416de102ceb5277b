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

/**
 * An Anthropic Messages API answer for a loopback server: the forced tool call the request named,
 * with `input` as its arguments and the usage the audit trail records.
 */
export function anthropicToolAnswer(
  request: Received,
  input: unknown,
  usage = { input_tokens: 10, output_tokens: 10 },
  model = "claude-test",
) {
  const body = JSON.parse(request.text) as { tools: Array<{ name: string }> };
  return {
    body: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "tool_use", id: "toolu_1", name: body.tools[0]?.name, input }],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage,
    },
  };
}
