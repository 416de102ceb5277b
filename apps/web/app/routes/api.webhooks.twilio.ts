import { workflows } from "@ktizo/api";
import type { ActionFunctionArgs } from "@remix-run/node";

/** Twilio's own payloads are a few KB; the host already bounds webhook bodies while they stream. */
const MAX_TWILIO_BODY = 64 * 1024;

/**
 * Twilio: inbound texts and delivery reports (issue 13). The signature is checked by the SDK's
 * validateRequest on the exact public URL Twilio called (the configured public origin, this path and its
 * query) and the form parameters; a forged or unsigned request gets 403 and changes nothing. Every
 * request is recorded in the admin console's webhook log.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Use POST", { status: 405 });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_TWILIO_BODY) return new Response("Too large", { status: 413 });
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded"))
    return new Response("Expected a form", { status: 415 });
  const text = await readBounded(request, MAX_TWILIO_BODY);
  if (text === null) return new Response("Too large", { status: 413 });
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  const { runtime } = context;
  const baseUrl = runtime.settings.auth.BETTER_AUTH_URL.replace(/\/+$/, "");
  const incoming = new URL(request.url);
  const result = await workflows.handleTwilioWebhook(
    runtime.db,
    runtime.services,
    {
      url: `${baseUrl}${incoming.pathname}${incoming.search}`,
      signature: request.headers.get("x-twilio-signature"),
      params,
    },
    baseUrl,
    runtime.clock.now(),
  );
  return new Response(result.body, {
    status: result.status,
    headers: { "Content-Type": result.contentType },
  });
}

/** The body as text, read one chunk at a time; null as soon as it passes `limit`. */
async function readBounded(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
