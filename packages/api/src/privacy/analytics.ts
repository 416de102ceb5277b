import type { AnalyticsValue } from "@ktizo/services";
import type { ApiContext } from "../kernel/index.ts";
import { readConsent } from "./consent.ts";
import { captureAnalytics } from "./settings.ts";

/** What product code reports to analytics (P14): names only, never the person or their content. */
export type ProductEvent = "shop_created" | "quote_viewed" | "order_placed" | "ai_intake_used";

/**
 * Reports a product event from a procedure and passes its result through unchanged. Whether anything
 * is sent is decided by `captureAnalytics`: the visitor's consent cookie on this request, and the
 * signed-in user's analytics switch, restriction and objection. Analytics never breaks the product: a
 * failure to capture is logged, not thrown.
 */
export async function tracked<T>(
  ctx: Pick<ApiContext, "db" | "services" | "session" | "headers">,
  event: ProductEvent,
  result: T,
  properties?: Record<string, AnalyticsValue>,
): Promise<T> {
  try {
    await captureAnalytics(ctx.db, ctx.services.analytics, {
      event,
      userId: ctx.session?.userId ?? null,
      properties,
      consent: readConsent(ctx.headers.get("cookie")),
    });
  } catch (error) {
    console.error(`[analytics] ${event} not captured:`, error instanceof Error ? error.message : error);
  }
  return result;
}
