import { job } from "@ktizo/api";
import { actionErrors, errorCode } from "@ktizo/ui";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

// The upload domain function is not on the tRPC router (it takes bytes); it is called directly, scoped
// by the organization of the signed-in member exactly as the router would.

const KINDS = ["model", "mockup", "proof", "photo", "other"] as const;
type Kind = (typeof KINDS)[number];

/** Uploads one file to a job (multipart, at most 100 MB), then returns to the job page. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { organization, session } = await requireOrg(request, context);
  const jobId = params.jobId ?? "";
  const back = (query: string) => redirect(`/org/jobs/${encodeURIComponent(jobId)}?${query}`);
  // The host bounds the body while it streams (the `file` kind: 100 MB and the form around it).
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return back(`uploadError=${encodeURIComponent("The upload could not be read. Try again.")}`);
  }
  const file = form.get("file");
  const kindText = String(form.get("kind") ?? "");
  if (!(file instanceof File) || file.size === 0) {
    return back(`uploadError=${encodeURIComponent("Choose a file to upload.")}`);
  }
  if (!KINDS.includes(kindText as Kind)) {
    return back(`uploadError=${encodeURIComponent("Choose what kind of file it is.")}`);
  }
  const storage = context.runtime.services.storage;
  try {
    await job.attachJobFile(
      context.runtime.db,
      // A model is analysed in the worker pool: a 100 MB file never stalls other requests.
      { storage, analyze: (bytes) => context.runtime.analyzeModel(bytes) },
      {
        organizationId: organization.id,
        jobId,
        actorUserId: session.userId,
        fileName: file.name,
        contentType: file.type || "application/octet-stream",
        bytes: new Uint8Array(await file.arrayBuffer()),
        kind: kindText as Kind,
        shared: form.get("shared") === "on",
      },
      context.runtime.clock.now(),
    );
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND") throw new Response("Job not found", { status: 404 });
    const { formError, fieldErrors } = actionErrors({ cause: error }, "The file could not be attached.");
    const message = [formError, ...Object.values(fieldErrors)].filter(Boolean).join(" ");
    return back(`uploadError=${encodeURIComponent(message)}`);
  }
  return back("uploaded=1");
}

export async function loader({ params }: ActionFunctionArgs) {
  return redirect(`/org/jobs/${encodeURIComponent(params.jobId ?? "")}`);
}
