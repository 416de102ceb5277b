import { billing, privacy } from "@ktizo/api";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { portalCall } from "~/components/billing/portal.server";

/**
 * The file of the proof version a portal link was made for, for the portal's viewer (an image, a PDF,
 * a model for the 3D viewer). Always an attachment with nosniff, so no uploaded file runs as a page; the
 * link is checked (and rate-limited) by the portal API first.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const view = await portalCall(request, context, (api) => api.billing.portal.view({ token }));
  if (view.type !== "proof") throw new Response("Not found", { status: 404 });
  const { runtime } = context;
  const file = await billing.portalProofFile(runtime.db, token, runtime.clock.now()).catch(() => null);
  const stored = file ? await runtime.services.storage.get(file.storageKey) : null;
  if (!file || !stored) throw new Response("Not found", { status: 404 });
  const headers = privacy.attachmentHeaders({
    contentType: file.contentType,
    fileName: file.fileName,
    size: stored.bytes.length,
  });
  headers.set("X-File-Name", encodeURIComponent(file.fileName));
  return new Response(Buffer.from(stored.bytes), { headers });
}
