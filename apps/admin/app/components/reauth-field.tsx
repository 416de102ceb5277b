import { TextField } from "@ktizo/ui";

/**
 * The password a destructive action asks for again when the admin's sign-in is older than 15 minutes
 * (the server decides; this only shows the field when it will ask).
 */
export function ReauthField({ required, error }: { required: boolean; error?: string }) {
  if (!required && !error) return null;
  return (
    <TextField
      label="Your password"
      name="password"
      type="password"
      autoComplete="current-password"
      hint="You signed in more than 15 minutes ago: confirm it is you."
      error={error}
    />
  );
}
