import { Alert, actionErrors } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { ShopPage } from "~/components/shop/shop-page";
import { checkGoogleState, clearGoogleState } from "~/lib/google.server";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Google · Ktizo" }];

/** Google's redirect back: the state must match this browser's cookie before the code is exchanged. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const url = new URL(request.url);
  const clear = { "set-cookie": await clearGoogleState(context) };
  const fail = (message: string) => json({ ...shellData(org), message }, { status: 400, headers: clear });
  if (!(await checkGoogleState(request, context, url.searchParams.get("state"))))
    return fail(
      "This Google sign-in could not be verified (it was started elsewhere or expired). Try again.",
    );
  if (url.searchParams.get("error")) return fail("Google did not grant access, so nothing was connected.");
  const code = url.searchParams.get("code");
  if (!code) return fail("Google sent no authorisation code. Try again.");
  try {
    await org.api.inbox.connect({ code });
  } catch (error) {
    return fail(
      actionErrors(error, "Google could not be connected.").formError ?? "Google could not be connected.",
    );
  }
  return redirect("/org/inbox?connected=1", { headers: clear });
}

export default function GoogleCallback() {
  const { organization, memberships, message } = useLoaderData<typeof loader>();
  return (
    <ShopPage shell={{ organization, memberships }} title="Google was not connected">
      <Alert tone="error">{message}</Alert>
      <p>
        <Link to="/org/google/connect" className={linkClass}>
          Connect again
        </Link>
      </p>
    </ShopPage>
  );
}
