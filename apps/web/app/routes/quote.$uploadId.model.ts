import { marketplace } from "@ktizo/api";
import { apiFor, fileDownload, orNotFound } from "@ktizo/runtime/remix";
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
  const found = await orNotFound(() =>
    marketplace.getUploadFile(context.runtime.db, owner, params.uploadId ?? ""),
  );
  const file = await context.runtime.services.storage.get(found.storageKey);
  if (!file) return new Response("Not found", { status: 404 });
  const response = fileDownload(file.bytes, {
    contentType: "application/octet-stream",
    fileName: "model",
    size: null,
  });
  // The viewer reads the real name (its extension says the format) without the browser saving anything.
  response.headers.set("x-file-name", encodeURIComponent(found.fileName));
  return response;
}
