import { apiFor, callAuth, safeRedirect } from "@ktizo/runtime/remix";
import { Alert, buttonClass, Card } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { EmailLinkFields } from "~/components/auth-fields";

export const meta: MetaFunction = () => [{ title: "Confirm your email · Ktizo" }];

/**
 * Two moments: "check your inbox" after sign-up (with a resend form), and the landing after the
 * link. better-auth signs the user in as it confirms the address, so the landing welcomes them in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const { session } = await apiFor(request, context);
  const error = params.get("error");
  // better-auth only redirects here with ?verified=1 after confirming; it signs in that browser.
  const state = error ? "invalid" : params.get("verified") ? "verified" : "sent";
  // Where the visitor was going before signing up (checked here as at every redirect).
  const next = safeRedirect(params.get("redirectTo"), "");
  return json({ state, name: session?.name ?? null, next });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return json(
      { resent: false, fieldError: "Enter the email address you signed up with.", email },
      { status: 400 },
    );
  const result = await callAuth(context, request, "/send-verification-email", {
    email,
    callbackURL: "/verify-email?verified=1",
  });
  if (result.status === 429)
    return json(
      { resent: false, fieldError: "Too many requests. Wait a minute and try again.", email },
      { status: 429 },
    );
  // Whether or not the address has an account, the answer is the same.
  return json({ resent: true, fieldError: null, email });
}

export default function VerifyEmail() {
  const { state, name, next } = useLoaderData<typeof loader>();
  if (state === "verified") {
    return (
      <div className="mx-auto max-w-md text-center">
        <h1 className="text-2xl font-bold">Your email is confirmed</h1>
        <p className="mt-3 text-slate-600 dark:text-slate-400">
          {name ? `Welcome to Ktizo, ${name}. You are signed in.` : "Welcome to Ktizo. Sign in to continue."}
        </p>
        <div className="mt-8 flex justify-center gap-3">
          {name && next ? (
            <Link to={next} className={buttonClass("primary")}>
              Continue where you left off
            </Link>
          ) : name ? (
            <>
              <Link to="/org/new" className={buttonClass("primary")}>
                Set up your print shop
              </Link>
              <Link to="/" className={buttonClass("secondary")}>
                Get a quote
              </Link>
            </>
          ) : (
            <Link
              to={next ? `/sign-in?redirectTo=${encodeURIComponent(next)}` : "/sign-in"}
              className={buttonClass("primary")}
            >
              Sign in
            </Link>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-center text-2xl font-bold">
        {state === "invalid" ? "This link no longer works" : "Check your email"}
      </h1>
      <p className="mb-6 text-center text-sm text-slate-600 dark:text-slate-400">
        {state === "invalid"
          ? "Confirmation links work once and expire after a while. Ask for a new one below."
          : "If the address can be used for a Ktizo account, we sent it a message. Open the link inside to confirm your email and sign in."}
      </p>
      <ResendForm />
    </div>
  );
}

function ResendForm() {
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post" className="space-y-4" noValidate>
        <h2 className="text-base font-semibold">Didn’t get it?</h2>
        {data?.resent ? (
          <Alert tone="success">If that address is waiting for confirmation, a new link is on its way.</Alert>
        ) : null}
        <EmailLinkFields
          email={data?.email}
          error={data?.fieldError}
          busy={busy}
          submit="Send the link again"
          variant="secondary"
        />
      </Form>
    </Card>
  );
}
