import { shop } from "@ktizo/api";
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

// The logo takes bytes, so it is a resource route: `memberActor` refuses members below admin before the
// body is read (as the router's orgProcedure("admin") would), and the shop domain's logo entries check
// the role again inside their transaction.

const MAX_LOGO_BYTES = 2 * 1024 * 1024;
const back = (query: string) => redirect(`/org/profile?${query}#logo`);
const failed = (message: string) => back(`logoError=${encodeURIComponent(message)}`);

/** Uploads (multipart, at most 2 MB) or removes the shop's logo, then returns to the profile page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = memberActor(await requireOrg(request, context), "admin", "change the shop's logo");
  let received: Awaited<ReturnType<typeof receiveFiles>>;
  try {
    received = await receiveFiles(request, { field: "logo", maxBytes: MAX_LOGO_BYTES });
  } catch (e) {
    if (e instanceof UploadTooLargeError) return failed("The logo is too large (at most 2 MB).");
    return failed("The upload could not be read. Try again.");
  }
  const { db, services, clock } = context.runtime;
  try {
    if (received.fields.get("intent") === "remove") {
      await shop.removeShopLogo(db, services.storage, actor);
      return back("logo=removed");
    }
    const file = received.files[0];
    if (!file) return failed("Choose an image to upload.");
    await shop.setShopLogo(
      db,
      services.storage,
      { ...actor, fileName: file.fileName, bytes: await readReceivedFile(file) },
      clock.now(),
    );
  } catch (error) {
    throwIfRefused(error, "Shop not found");
    const { formError, fieldErrors } = actionErrors({ cause: error }, "The logo could not be saved.");
    return failed([formError, ...Object.values(fieldErrors)].filter(Boolean).join(" "));
  } finally {
    await received.cleanup();
  }
  return back("logo=saved");
}

export async function loader() {
  return redirect("/org/profile#logo");
}
