import { marketplace } from "@ktizo/api";
import { apiFor, orNotFound } from "@ktizo/runtime/remix";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { ensureUploadSession } from "~/components/marketplace/server";

/**
 * "Continue on Ktizo" from the shop widget: a form post that opens in a new tab (first-party, so cookies
 * work again). A copy of the guest's model goes to this browser's Ktizo upload session, or to the
 * signed-in account, and the visitor lands on the marketplace's quote page for it; the widget keeps
 * working with the original.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const from = form.get("session");
  const uploadId = form.get("uploadId");
  if (typeof from !== "string" || typeof uploadId !== "string" || !uploadId) {
    throw new Response("Upload a model in the shop's form first", { status: 400 });
  }
  const { session } = await apiFor(request, context);
  const headers = new Headers();
  let to: marketplace.UploadOwner;
  if (session) to = { userId: session.userId };
  else {
    const anon = await ensureUploadSession(request, context);
    if (anon.setCookie) headers.append("set-cookie", anon.setCookie);
    to = { userId: null, uploadSessionId: anon.uploadSessionId };
  }
  // The marketplace's entry copies only an upload of the widget session `from` (another is not found).
  const copy = await orNotFound(
    () =>
      marketplace.copyEmbedUpload(
        context.runtime.db,
        context.runtime.services.storage,
        from,
        to,
        uploadId,
        context.runtime.clock.now(),
      ),
    "This upload is no longer available",
  );
  return redirect(`/quote/${encodeURIComponent(copy.uploadId)}`, { headers });
}

export function loader() {
  return redirect("/");
}
