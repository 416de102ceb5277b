import { job } from "@ktizo/api";
import { memberActor, orNotFound, storedFileDownload } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

/**
 * Downloads a job's file (any member of the job's shop): the job domain's entry answers only a file of
 * that job of the member's organization; always as an attachment, under the uploader's (cleaned) name.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = memberActor(await requireOrg(request, context), "member", "download job files");
  const row = await orNotFound(
    () => job.getJobFileForDownload(context.runtime.db, member, params.jobId ?? "", params.fileId ?? ""),
    "File not found",
  );
  return storedFileDownload(context, row);
}
