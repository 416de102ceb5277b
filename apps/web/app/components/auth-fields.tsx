import { Button, EmailField, TextField } from "@ktizo/ui";
import { Link } from "@remix-run/react";
import { PASSWORD_HINT } from "~/lib/copy";

/** The way back to the sign-in page from the pages that send a link (reset, confirmation). */
export function BackToSignIn() {
  return (
    <Link to="/sign-in" className="text-sm font-medium text-brand-600 hover:underline dark:text-brand-400">
      Back to sign in
    </Link>
  );
}

/**
 * The body of a form that asks for an email to send a link to (a password reset, a new confirmation):
 * the email with its error, the way back to sign-in and the submit button ("Sending…" while it is sent).
 */
export function EmailLinkFields({
  email,
  error,
  busy,
  submit,
  variant,
}: {
  email: string | undefined;
  error: string | null | undefined;
  busy: boolean;
  submit: string;
  variant?: "secondary";
}) {
  return (
    <>
      <EmailField defaultValue={email} error={error} />
      <div className="flex items-center justify-between">
        <BackToSignIn />
        <Button type="submit" variant={variant ?? "primary"} disabled={busy}>
          {busy ? "Sending…" : submit}
        </Button>
      </div>
    </>
  );
}

/** A new password (sign-up, reset) with the house's password rules as its hint. */
export function NewPasswordField({ label, error }: { label: string; error: string | undefined }) {
  return (
    <TextField
      label={label}
      name="password"
      type="password"
      autoComplete="new-password"
      required
      hint={PASSWORD_HINT}
      error={error}
    />
  );
}
