import { marketplace } from "@ktizo/api";
import type { AppLoadContext } from "@remix-run/node";

type Side = Parameters<typeof marketplace.getMessageAttachment>[1];

/** A message attachment as a download (never rendered inline), for a side the route has already checked. */
export async function attachmentResponse(
  context: AppLoadContext,
  side: Side,
  messageId: string,
): Promise<Response> {
  try {
    const found = await marketplace.getMessageAttachment(context.runtime.db, side, messageId);
    const file = await context.runtime.services.storage.get(found.storageKey);
    if (!file) return new Response("Not found", { status: 404 });
    const name = found.fileName.replace(/[^\w. -]/g, "_");
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${name}"`,
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
      },
    });
  } catch {
    return new Response("Not found", { status: 404 });
  }
}
