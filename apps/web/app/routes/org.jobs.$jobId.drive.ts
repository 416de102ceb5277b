import { orNotFound } from "@ktizo/runtime/remix";
import { actionErrors, errorCode } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/node";
import { formText } from "~/lib/forms";
import { requireOrg } from "~/lib/org.server";

/**
 * The job's Drive folder (issue 13), for the job page's Drive panel: the folder and its files (GET), and
 * creating or syncing it (POST). Another shop's job answers 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const [view, google] = await orNotFound(() =>
    Promise.all([org.api.inbox.driveFolder({ jobId: params.jobId ?? "" }), org.api.inbox.status()]),
  );
  return json({ view, connected: google.connected, formError: null as string | null });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const form = await request.formData();
  const jobId = params.jobId ?? "";
  const intent = formText(form, "intent");
  try {
    const view =
      intent === "drive-create"
        ? await org.api.inbox.createDriveFolder({ jobId })
        : await org.api.inbox.syncDriveFolder({ jobId });
    return json({ view, connected: true, formError: null as string | null });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND" || errorCode(error) === "BAD_REQUEST")
      throw new Response("Not found", { status: 404 });
    const view = await org.api.inbox.driveFolder({ jobId }).catch(() => ({ folder: null, files: [] }));
    return json(
      { view, connected: false, formError: actionErrors(error, "Google Drive did not answer.").formError },
      { status: 400 },
    );
  }
}
