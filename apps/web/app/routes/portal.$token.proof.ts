import { billing } from "@ktizo/api";
import { orNotFound, storedFileDownload } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { portalCall } from "~/components/billing/portal.server";

/**
 * The file of the proof version a portal link was made for, for the portal's viewer (an image, a PDF,
 * a model for the 3D viewer). The link is checked (and rate-limited) by the portal API first; billing's
 * `portalProofFile` checks the token again (valid, a proof link) and answers the file of that link only.
 * Always an attachment with nosniff, so no uploaded file runs as a page.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const view = await portalCall(request, context, (api) => api.billing.portal.view({ token }));
  if (view.type !== "proof") throw new Response("Not found", { status: 404 });
  const { runtime } = context;
  const file = await orNotFound(() => billing.portalProofFile(runtime.db, token, runtime.clock.now()));
  return storedFileDownload(context, { ...file, exposedName: file.fileName });
}
