import { job } from "@ktizo/api";
import { orNotFound, storedFileDownload } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

/** Downloads a job's file: always as an attachment, under the uploader's (cleaned) name. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { organization, api } = await requireOrg(request, context);
  const jobId = params.jobId ?? "";
  const files = await api.job.files.list({ jobId }).catch(() => []);
  const file = files.find((f) => f.id === params.fileId);
  if (!file) throw new Response("File not found", { status: 404 });
  const row = await orNotFound(
    () => job.getJobFileForDownload(context.runtime.db, organization.id, file.id),
    "File not found",
  );
  return storedFileDownload(context, row);
}
