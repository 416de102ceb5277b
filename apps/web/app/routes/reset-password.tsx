import { callAuth } from "@ktizo/runtime/remix";
import { Alert, Button, Card, TextField } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { NewPasswordField } from "~/components/auth-fields";
import { authErrors } from "~/lib/auth-errors.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Ktizo" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  // better-auth sends ?error=INVALID_TOKEN here when the emailed link is expired or used.
  return json({
    token: params.get("token") ?? "",
    invalid: Boolean(params.get("error")) || !params.get("token"),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = String(form.get("token") ?? "");
  const password = String(form.get("password") ?? "");
  const confirm = String(form.get("confirm") ?? "");
  const fieldErrors: Record<string, string> = {};
  if (!password) fieldErrors.password = "Choose a new password.";
  else if (password !== confirm) fieldErrors.confirm = "The two passwords are not the same.";
  if (Object.keys(fieldErrors).length) return json({ formError: null, fieldErrors }, { status: 400 });
  const result = await callAuth(context, request, "/reset-password", { token, newPassword: password });
  if (result.status === 200) return redirect("/sign-in?reset=1");
  const errors =
    result.status === 429
      ? { formError: "Too many attempts. Wait a minute and try again.", fieldErrors: {} }
      : authErrors(result.data, "This reset link is invalid or has expired. Ask for a new one.");
  return json(errors, { status: 400 });
}

export default function ResetPassword() {
  const { token, invalid } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-center text-2xl font-bold">Choose a new password</h1>
      <Card>
        {invalid ? (
          <div className="space-y-4">
            <Alert tone="error">This reset link is invalid or has expired.</Alert>
            <Link
              to="/forgot-password"
              className="text-sm font-medium text-brand-600 hover:underline dark:text-brand-400"
            >
              Ask for a new link
            </Link>
          </div>
        ) : (
          <Form method="post" className="space-y-4" noValidate>
            {data?.formError ? (
              <Alert tone="error">
                {data.formError}{" "}
                <Link to="/forgot-password" className="font-semibold underline">
                  Ask for a new link
                </Link>
              </Alert>
            ) : null}
            <input type="hidden" name="token" value={token} />
            <NewPasswordField label="New password" error={data?.fieldErrors.password} />
            <TextField
              label="Repeat the new password"
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              error={data?.fieldErrors.confirm}
            />
            <p className="text-xs text-slate-500 dark:text-slate-400">
              Changing your password signs you out on every device.
            </p>
            <Button type="submit" disabled={busy} className="w-full">
              {busy ? "Saving…" : "Save new password"}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
