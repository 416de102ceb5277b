import {
  apiFor,
  privacyCenterIfDeleting,
  safeRedirect,
  sendSignInLink,
  signInWithPassword,
} from "@ktizo/runtime/remix";
import { Alert, Button, Card, SignInFields } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Sign in · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session } = await apiFor(request, context);
  if (session) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  // Google sign-in is offered only when its OAuth client is configured (P7).
  const { GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET } = context.runtime.settings.auth;
  return json({ googleEnabled: Boolean(GOOGLE_CLIENT_ID && GOOGLE_CLIENT_SECRET) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if ((await request.clone().formData()).get("intent") === "link") return sendSignInLink(request, context);
  // An account scheduled for deletion lands on the privacy center, which says when and offers undo (P21).
  return signInWithPassword(request, context, privacyCenterIfDeleting(context));
}

export default function SignIn() {
  const data = useActionData<typeof action>();
  const { googleEnabled } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-bold">Sign in to Ktizo</h1>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          {data?.formError ? <Alert tone="error">{data.formError}</Alert> : null}
          {data && "linkSent" in data && typeof data.linkSent === "string" ? (
            <Alert tone="success">{data.linkSent}</Alert>
          ) : null}
          <SignInFields data={data} params={params} />
          <div className="flex items-center justify-between">
            <Link
              to="/forgot-password"
              className="text-sm font-medium text-brand-600 hover:underline dark:text-brand-400"
            >
              Forgot your password?
            </Link>
            <Button type="submit" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </Button>
          </div>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Locked out, or no password at hand?{" "}
            <button
              type="submit"
              name="intent"
              value="link"
              disabled={busy}
              className="font-medium text-brand-600 hover:underline dark:text-brand-400"
            >
              Email me a one-time link
            </button>
          </p>
        </Form>
        {googleEnabled ? (
          <Form
            method="post"
            action="/sign-in/google"
            className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800"
          >
            <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
            <Button type="submit" variant="secondary" className="w-full">
              Continue with Google
            </Button>
          </Form>
        ) : null}
      </Card>
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        New to Ktizo? {/* Where the visitor was going (a cart item, an invitation) goes along to sign-up. */}
        <Link
          to={
            params.get("redirectTo")
              ? `/sign-up?redirectTo=${encodeURIComponent(params.get("redirectTo") ?? "")}`
              : "/sign-up"
          }
          className="font-semibold text-brand-600 hover:underline dark:text-brand-400"
        >
          Create an account
        </Link>
      </p>
    </div>
  );
}
