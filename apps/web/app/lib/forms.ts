import { type ActionErrors, actionErrors } from "@ktizo/ui";
import { json } from "@remix-run/node";

/**
 * What an action on a page with several forms answers: which form (`intent`) it was, and either a
 * success message or the errors to show beside that form's fields.
 */
export interface FormResult extends ActionErrors {
  intent: string;
  ok: boolean;
  message: string | null;
}

export const done = (intent: string, message: string | null = null, headers?: HeadersInit) =>
  json<FormResult>({ intent, ok: true, message, formError: null, fieldErrors: {} }, { headers });

export const refused = (intent: string, errors: ActionErrors, status = 400) =>
  json<FormResult>({ intent, ok: false, message: null, ...errors }, { status });

/** Runs an API call for one form and turns a thrown error into that form's errors. */
export async function attempt(
  intent: string,
  call: () => Promise<unknown>,
  message: string | null = null,
  fallback?: string,
) {
  try {
    await call();
    return done(intent, message);
  } catch (error) {
    return refused(intent, actionErrors(error, fallback));
  }
}

/** The result for this form only: a page shows each form's errors beside that form. */
export function resultFor(data: FormResult | undefined, intent: string) {
  return data?.intent === intent ? data : undefined;
}

export const formText = (form: FormData, name: string) => String(form.get(name) ?? "");
