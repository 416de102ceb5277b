import { DomainError, marketplace } from "@ktizo/api";
import { apiFor } from "@ktizo/runtime/remix";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { ensureUploadSession } from "~/components/marketplace/server";

/**
 * "Continue on Ktizo" from the shop widget: a form post that opens in a new tab (first-party, so cookies
 * work again). The guest's widget uploads move into this browser's Ktizo upload session, or into the
 * signed-in account, and the visitor lands on the marketplace's quote page for the model.
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
  let to: { userId: string | null; uploadSessionId: string | null };
  if (session) to = { userId: session.userId, uploadSessionId: null };
  else {
    const anon = await ensureUploadSession(request, context);
    if (anon.setCookie) headers.append("set-cookie", anon.setCookie);
    to = { userId: null, uploadSessionId: anon.uploadSessionId };
  }
  try {
    await marketplace.adoptEmbedUploads(context.runtime.db, from, to, uploadId);
  } catch (e) {
    if (e instanceof DomainError) throw new Response("This upload is no longer available", { status: 404 });
    throw e;
  }
  return redirect(`/quote/${encodeURIComponent(uploadId)}`, { headers });
}

export function loader() {
  return redirect("/");
}
