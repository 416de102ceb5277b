import { DomainError, marketplace } from "@ktizo/api";
import { apiFor } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readUploadSession } from "~/components/marketplace/server";

/** The owner's model bytes, for the 3D preview (sent as an attachment, never rendered by the browser). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { session } = await apiFor(request, context);
  const uploadSessionId = await readUploadSession(request, context);
  const owner: marketplace.UploadOwner | null = session
    ? { userId: session.userId, uploadSessionId: uploadSessionId ?? null }
    : uploadSessionId
      ? { userId: null, uploadSessionId }
      : null;
  if (!owner) return new Response("Not found", { status: 404 });
  try {
    const found = await marketplace.getUploadFile(context.runtime.db, owner, params.uploadId ?? "");
    const file = await context.runtime.services.storage.get(found.storageKey);
    if (!file) return new Response("Not found", { status: 404 });
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="model"`,
        "x-file-name": encodeURIComponent(found.fileName),
        "cache-control": "private, no-store",
      },
    });
  } catch (e) {
    if (e instanceof DomainError) return new Response("Not found", { status: 404 });
    throw e;
  }
}
