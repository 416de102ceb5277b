import { orNotFound, requireSession } from "@ktizo/runtime/remix";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";

/** A platform admin leaves the support view: the session is their own again. Others: 404. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  await orNotFound(() => api.admin.support.leave());
  return redirect("/");
}

export async function loader() {
  return redirect("/");
}
