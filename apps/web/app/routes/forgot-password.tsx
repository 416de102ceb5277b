import { callAuth } from "@ktizo/runtime/remix";
import { Alert, Card } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { BackToSignIn, EmailLinkFields } from "~/components/auth-fields";

export const meta: MetaFunction = () => [{ title: "Reset your password · Ktizo" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return json({ sent: false, fieldError: "Enter your email address.", email }, { status: 400 });
  const result = await callAuth(context, request, "/request-password-reset", {
    email,
    redirectTo: "/reset-password",
  });
  if (result.status === 429)
    return json(
      { sent: false, fieldError: "Too many requests. Wait a minute and try again.", email },
      { status: 429 },
    );
  // Known and unknown addresses get the same answer, so this page cannot tell who has an account.
  return json({ sent: true, fieldError: null, email });
}

export default function ForgotPassword() {
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-center text-2xl font-bold">Reset your password</h1>
      <p className="mb-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Enter your account’s email and we will send a link to choose a new password.
      </p>
      <Card>
        {data?.sent ? (
          <div className="space-y-4">
            <Alert tone="success">
              If {data.email} has a Ktizo account, a reset link is on its way. It works for one hour.
            </Alert>
            <BackToSignIn />
          </div>
        ) : (
          <Form method="post" className="space-y-4" noValidate>
            <EmailLinkFields
              email={data?.email}
              error={data?.fieldError}
              busy={busy}
              submit="Send reset link"
            />
          </Form>
        )}
      </Card>
    </div>
  );
}
