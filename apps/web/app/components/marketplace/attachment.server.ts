import { marketplace } from "@ktizo/api";
import { fileDownload, orNotFound } from "@ktizo/runtime/remix";
import type { AppLoadContext } from "@remix-run/node";

type Side = Parameters<typeof marketplace.getMessageAttachment>[1];

/** A message attachment as a download (never rendered inline), for a side the route has already checked. */
export async function attachmentResponse(
  context: AppLoadContext,
  side: Side,
  messageId: string,
): Promise<Response> {
  const found = await orNotFound(() => marketplace.getMessageAttachment(context.runtime.db, side, messageId));
  const file = await context.runtime.services.storage.get(found.storageKey);
  if (!file) return new Response("Not found", { status: 404 });
  return fileDownload(file.bytes, {
    contentType: "application/octet-stream",
    fileName: found.fileName,
    size: null,
  });
}
