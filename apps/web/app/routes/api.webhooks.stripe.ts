import { workflows } from "@ktizo/api";
import { type ActionFunctionArgs, json } from "@remix-run/node";

/**
 * Stripe webhooks. The signature is checked on the raw body (never a re-serialised one); unsigned,
 * tampered or stale requests get 400 and change nothing; each event is applied once.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ error: "Use POST" }, { status: 405 });
  const raw = new Uint8Array(await request.arrayBuffer());
  const { runtime } = context;
  const result = await workflows.handleStripeWebhook(
    runtime.db,
    runtime.services,
    raw,
    request.headers.get("stripe-signature"),
    runtime.clock.now(),
  );
  return json(result.body, { status: result.status });
}
