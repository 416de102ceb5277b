import { marketplace } from "@ktizo/api";
import { apiFor, orNotFound, storedFileDownload } from "@ktizo/runtime/remix";
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
  // The viewer reads the real name (its extension says the format) without the browser saving anything.
  return storedFileDownload(context, {
    storageKey: found.storageKey,
    contentType: "application/octet-stream",
    fileName: "model",
    exposedName: found.fileName,
  });
}
