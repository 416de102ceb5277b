import { workflows } from "@ktizo/api";
import type { apiFor } from "@ktizo/runtime/remix";
import { isTestModePayments } from "@ktizo/services";
import type { AppLoadContext } from "@remix-run/node";

type Api = Awaited<ReturnType<typeof apiFor>>["api"];

/** Headers of an embed page: its own frame-ancestors policy (the host adds the rest), never cached. */
export function embedHeaders(frameAncestors: string): Headers {
  return new Headers({
    "Content-Security-Policy": frameAncestors,
    "Cache-Control": "private, no-store",
  });
}

export function isTestMode(context: AppLoadContext): boolean {
  return isTestModePayments(context.runtime.services.payments);
}

/**
 * Test mode only: the guest pays a pending widget order with the simulated payment (the marketplace's
 * one test-payment completion, the real webhook path). The guest proves the order with its token;
 * anyone else gets NOT_FOUND from the API.
 */
export async function payGuestOrderInTestMode(
  context: AppLoadContext,
  api: Api,
  input: { orderId: string; token: string },
) {
  const { runtime } = context;
  const payments = runtime.services.payments;
  if (!isTestModePayments(payments)) throw new Response("Not found", { status: 404 });
  const order = await api.marketplace.embed.order(input);
  const session = order.checkoutSessionId ? await payments.getTestSession(order.checkoutSessionId) : null;
  if (!session || session.orderId !== order.id) {
    throw new Response("There is no such test payment. Order again.", {
      status: 410,
    });
  }
  if (order.status === "pending_payment") {
    await workflows.completeTestPayment(runtime.db, runtime.services, session.sessionId, runtime.clock.now());
  }
  return api.marketplace.embed.order(input);
}
