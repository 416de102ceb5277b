import { TextField } from "./field.tsx";
import { Alert } from "./layout.tsx";

/** What a refused password sign-in answers (the runtime's `signInWithPassword`). */
export interface SignInResult {
  email?: string | undefined;
  fieldErrors: { email?: string | undefined; password?: string | undefined };
}

/** The account's email address, as every sign-in, sign-up and link form asks for it. */
export function EmailField({
  defaultValue,
  error,
}: {
  defaultValue: string | undefined;
  error: string | null | undefined;
}) {
  return (
    <TextField
      label="Email"
      name="email"
      type="email"
      autoComplete="email"
      required
      defaultValue={defaultValue}
      error={error ?? undefined}
    />
  );
}

/**
 * The password sign-in form's fields, the same in the web app and the admin console: the notes a
 * confirmed email or a changed password leave in the query string, where to go afterwards (`redirectTo`)
 * and the email and password with their errors. The form, its messages and buttons stay with each app.
 */
export function SignInFields({ data, params }: { data: SignInResult | undefined; params: URLSearchParams }) {
  return (
    <>
      {params.get("verified") ? (
        <Alert tone="success">Your email is confirmed. Sign in to continue.</Alert>
      ) : null}
      {params.get("reset") ? (
        <Alert tone="success">Your password was changed. Sign in with the new one.</Alert>
      ) : null}
      <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
      <EmailField defaultValue={data?.email} error={data?.fieldErrors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={data?.fieldErrors.password}
      />
    </>
  );
}
