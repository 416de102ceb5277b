import { Alert, Button, type ButtonVariant } from "@ktizo/ui";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { type FormResult, resultFor } from "~/lib/forms";

/** One form of the page: its own success or error message, its fields, its button. */
export function FormBody({
  intent,
  data,
  submit,
  children,
  variant = "primary",
}: {
  intent: string;
  data: FormResult | undefined;
  submit: string;
  children: ReactNode;
  variant?: ButtonVariant;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const result = resultFor(data, intent);
  return (
    <Form method="post" className="space-y-4" noValidate>
      <input type="hidden" name="intent" value={intent} />
      {result?.message ? <Alert tone="success">{result.message}</Alert> : null}
      {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
      {children}
      <div className="flex justify-end">
        <Button type="submit" variant={variant} disabled={busy}>
          {busy ? "Saving…" : submit}
        </Button>
      </div>
    </Form>
  );
}
