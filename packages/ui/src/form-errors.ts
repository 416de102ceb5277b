/**
 * What an action shows after a failed API call: a message for the form and messages beside fields.
 * Reads the error structurally (tRPC error whose cause is a ZodError or a DomainError with
 * fieldErrors), so this package needs neither tRPC nor zod.
 */
export interface ActionErrors {
  formError: string | null;
  fieldErrors: Record<string, string>;
}

interface IssueLike {
  path: PropertyKey[];
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export function actionErrors(
  error: unknown,
  fallback = "Something went wrong. Please try again.",
): ActionErrors {
  const cause = isRecord(error) ? error.cause : undefined;
  const fieldErrors: Record<string, string> = {};
  if (isRecord(cause) && Array.isArray(cause.issues)) {
    for (const issue of cause.issues as IssueLike[]) {
      const key = issue.path.map(String).join(".");
      fieldErrors[key] ??= issue.message;
    }
    return { formError: Object.keys(fieldErrors).length ? null : fallback, fieldErrors };
  }
  if (isRecord(cause) && isRecord(cause.fieldErrors)) {
    for (const [key, message] of Object.entries(cause.fieldErrors)) {
      if (typeof message === "string") fieldErrors[key] = message;
    }
  }
  // Domain errors carry a message written for people; internal ones (no domain cause) do not.
  const message =
    isRecord(cause) && cause.name === "DomainError" && typeof cause.message === "string"
      ? cause.message
      : null;
  return { formError: Object.keys(fieldErrors).length ? null : (message ?? fallback), fieldErrors };
}

/** The tRPC code of an error thrown by a server-side caller ("NOT_FOUND", …), if any. */
export function errorCode(error: unknown): string | null {
  return isRecord(error) && typeof error.code === "string" ? error.code : null;
}
