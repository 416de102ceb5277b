import { job } from "@ktizo/api";
import { orNotFound, requireSession, storedFileDownload } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";

/**
 * The customer downloads a file or photo the shop shared on their order's job. The job domain's entry
 * checks it: a shared file of the job of an order of this signed-in customer only (another customer's
 * order is not found); always an attachment.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { session } = await requireSession(request, context);
  const row = await orNotFound(
    () =>
      job.getSharedJobFileForDownload(
        context.runtime.db,
        { userId: session.userId },
        params.orderId ?? "",
        params.fileId ?? "",
      ),
    "File not found",
  );
  return storedFileDownload(context, row);
}
