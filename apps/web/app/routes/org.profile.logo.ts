import { shop } from "@ktizo/api";
import { requireRole } from "@ktizo/runtime/remix";
import { actionErrors } from "@ktizo/ui";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

// The logo takes bytes, so it is not on the tRPC router: the route refuses members below admin as the
// router's orgProcedure("admin") would (requireRole), then calls the domain functions with the signed-in
// member's organization (which check the role again inside their transaction).

const back = (query: string) => redirect(`/org/profile?${query}#logo`);
const failed = (message: string) => back(`logoError=${encodeURIComponent(message)}`);

/** Uploads (multipart, at most 2 MB) or removes the shop's logo, then returns to the profile page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { organization, session } = await requireOrg(request, context);
  requireRole(organization.role, "admin", "change the shop's logo");
  // The host bounds the body while it streams (the `logo` kind: 2 MB and the form around it).
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return failed("The upload could not be read. Try again.");
  }
  const { db, services, clock } = context.runtime;
  const actor = { organizationId: organization.id, actorUserId: session.userId };
  try {
    if (form.get("intent") === "remove") {
      await shop.removeShopLogo(db, services.storage, actor);
      return back("logo=removed");
    }
    const file = form.get("logo");
    if (!(file instanceof File) || file.size === 0) return failed("Choose an image to upload.");
    await shop.setShopLogo(
      db,
      services.storage,
      { ...actor, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
      clock.now(),
    );
  } catch (error) {
    const { formError, fieldErrors } = actionErrors({ cause: error }, "The logo could not be saved.");
    return failed([formError, ...Object.values(fieldErrors)].filter(Boolean).join(" "));
  }
  return back("logo=saved");
}

export async function loader() {
  return redirect("/org/profile#logo");
}
