/**
 * Messages between the loader (on the shop's site) and the embedded page (on Ktizo). Both sides check
 * the other's origin; anything that does not match one of these shapes is ignored.
 */
export type EmbedToHost =
  | { type: "ktizo:resize"; height: number }
  | { type: "ktizo:quote-ready"; quote: { totalMinor: number; currency: string; quoteId: string } }
  | { type: "ktizo:order-placed"; order: { orderId: string; totalMinor: number; currency: string } };

export type HostToEmbed = { type: "ktizo:color-scheme"; scheme: "light" | "dark" };

/** Events the host page can listen to on the widget's container (they bubble to document). */
export const HOST_EVENTS = {
  "ktizo:quote-ready": "quote-ready",
  "ktizo:order-placed": "order-placed",
} as const;

export const MAX_FRAME_HEIGHT = 4000;
export const SHOP_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function parseEmbedMessage(data: unknown): EmbedToHost | null {
  if (typeof data !== "object" || data === null) return null;
  const message = data as Record<string, unknown>;
  if (message.type === "ktizo:resize") {
    const height = Number(message.height);
    return Number.isFinite(height) && height > 0
      ? { type: "ktizo:resize", height: Math.min(height, MAX_FRAME_HEIGHT) }
      : null;
  }
  if (message.type === "ktizo:quote-ready" && typeof message.quote === "object" && message.quote !== null) {
    return message as EmbedToHost;
  }
  if (message.type === "ktizo:order-placed" && typeof message.order === "object" && message.order !== null) {
    return message as EmbedToHost;
  }
  return null;
}
