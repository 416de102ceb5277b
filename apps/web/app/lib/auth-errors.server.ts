import { authMessage } from "@ktizo/runtime/remix";

/**
 * Where a better-auth refusal belongs on our forms: its code picks the field, its message (already
 * written for people by the auth hooks) is shown there.
 */
const FIELD_BY_CODE: Record<string, string> = {
  PASSWORD_NOT_ALLOWED: "password",
  PASSWORD_REQUIRED: "password",
  PASSWORD_TOO_SHORT: "password",
  PASSWORD_TOO_LONG: "password",
  INVALID_PASSWORD: "currentPassword",
  INVALID_EMAIL: "email",
  COUNTRY_REQUIRED: "country",
  AGE_NOT_CONFIRMED: "age",
};

export function authErrors(
  data: Record<string, unknown> | null,
  fallback: string,
  rename: Record<string, string> = {},
): { formError: string | null; fieldErrors: Record<string, string> } {
  const message = authMessage(data, fallback);
  const code = typeof data?.code === "string" ? data.code : "";
  const field = FIELD_BY_CODE[code];
  if (!field) return { formError: message, fieldErrors: {} };
  return { formError: null, fieldErrors: { [rename[field] ?? field]: message } };
}
