import { job } from "@ktizo/api";
import {
  memberActor,
  readReceivedFile,
  receiveFiles,
  throwIfRefused,
  UploadTooLargeError,
} from "@ktizo/runtime/remix";
import { actionErrors } from "@ktizo/ui";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

// The upload takes bytes, so it is a resource route: the job domain's `attachJobFile` is its entry and
// finds the job only in the member's organization (from the session); another shop's job is a 404.

const KINDS = ["model", "mockup", "proof", "photo", "other"] as const;
type Kind = (typeof KINDS)[number];
const MAX_BYTES = 100 * 1024 * 1024;

/** Uploads one file to a job (multipart, at most 100 MB), then returns to the job page. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = memberActor(await requireOrg(request, context), "member", "attach files to jobs");
  const jobId = params.jobId ?? "";
  const back = (query: string) => redirect(`/org/jobs/${encodeURIComponent(jobId)}?${query}`);
  const failed = (message: string) => back(`uploadError=${encodeURIComponent(message)}`);
  let received: Awaited<ReturnType<typeof receiveFiles>>;
  try {
    received = await receiveFiles(request, { field: "file", maxBytes: MAX_BYTES });
  } catch (e) {
    if (e instanceof UploadTooLargeError) return failed("The file is too large (at most 100 MB).");
    return failed("The upload could not be read. Try again.");
  }
  try {
    const file = received.files[0];
    const kindText = String(received.fields.get("kind") ?? "");
    if (!file) return failed("Choose a file to upload.");
    if (!KINDS.includes(kindText as Kind)) return failed("Choose what kind of file it is.");
    await job.attachJobFile(
      context.runtime.db,
      // A model is analysed in the worker pool: a 100 MB file never stalls other requests.
      { storage: context.runtime.services.storage, analyze: (bytes) => context.runtime.analyzeModel(bytes) },
      {
        organizationId: member.organizationId,
        jobId,
        actorUserId: member.actorUserId,
        fileName: file.fileName,
        contentType: file.contentType || "application/octet-stream",
        bytes: await readReceivedFile(file),
        kind: kindText as Kind,
        shared: received.fields.get("shared") === "on",
      },
      context.runtime.clock.now(),
    );
  } catch (error) {
    throwIfRefused(error, "Job not found");
    const { formError, fieldErrors } = actionErrors({ cause: error }, "The file could not be attached.");
    return failed([formError, ...Object.values(fieldErrors)].filter(Boolean).join(" "));
  } finally {
    await received.cleanup();
  }
  return back("uploaded=1");
}

export async function loader({ params }: ActionFunctionArgs) {
  return redirect(`/org/jobs/${encodeURIComponent(params.jobId ?? "")}`);
}
