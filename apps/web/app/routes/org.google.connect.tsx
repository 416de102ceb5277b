import { Alert, actionErrors, Button, Section } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { ShopPage } from "~/components/shop/shop-page";
import { newGoogleState } from "~/lib/google.server";
import { googleScopeExplanations } from "~/lib/google-scopes.server";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Connect Google · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const status = await org.api.inbox.status();
  return json({ ...shellData(org), status, scopes: googleScopeExplanations() });
}

/** Starts the consent: a fresh `state` in a signed cookie, then Google's consent page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { state, setCookie } = await newGoogleState(context);
  try {
    const { url } = await org.api.inbox.consentUrl({ state });
    return redirect(url, { headers: { "set-cookie": setCookie } });
  } catch (error) {
    return json(actionErrors(error, "Google cannot be connected on this installation."), { status: 400 });
  }
}

export default function ConnectGoogle() {
  const { organization, memberships, status, scopes } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <ShopPage
      shell={{ organization, memberships }}
      title="Connect your Google account"
      description="Your own Gmail and Drive, for you in this shop: other members connect their own."
    >
      {failed?.formError ? <Alert tone="error">{failed.formError}</Alert> : null}
      {status.provider === "local" ? (
        <Alert tone="info">
          Google is not configured on this installation: connecting opens a demo inbox with sample messages.
          Nothing leaves this machine.
        </Alert>
      ) : null}
      <Section id="google-scopes" title="What Ktizo asks Google for, and why">
        <ul className="space-y-3">
          {scopes.map((s) => (
            <li key={s.scope}>
              <p className="font-medium text-slate-900 dark:text-white">{s.label}</p>
              <p className="text-sm text-slate-600 dark:text-slate-300">Used {s.why}.</p>
              <p className="break-all text-xs text-slate-500 dark:text-slate-400">{s.scope}</p>
            </li>
          ))}
        </ul>
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
          Ktizo keeps only an encrypted refresh token, never your password. Ktizo never deletes, archives or
          labels your mail and cannot see Drive files it did not create. Disconnect at any time from the inbox
          or your privacy center: the grant is revoked at Google and the token and cached mail are deleted.
        </p>
        <Form method="post" className="mt-4 flex flex-wrap items-center gap-3">
          <Button type="submit">Continue to Google</Button>
          <Link to="/org/inbox" className={linkClass}>
            Not now
          </Link>
        </Form>
      </Section>
    </ShopPage>
  );
}
