import { COMMON_PASSWORDS } from "./common-passwords.ts";

export const MIN_PASSWORD_LENGTH = 10;
/** bcrypt only reads the first 72 bytes; longer passwords are refused rather than silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

/** A clear message when a password may not be used, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    return `Use at most ${MAX_PASSWORD_BYTES} bytes (about ${MAX_PASSWORD_BYTES} letters, fewer with accents or emoji).`;
  }
  if (isCommonPassword(password)) {
    return "This password is one of the most common ones and easy to guess. Choose another.";
  }
  return null;
}

function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  // Common words dressed up with a trailing number or symbol ("Password123!", "qwerty2024").
  const stem = lower.replace(/[\d!@#$%^&*.?_-]+$/, "");
  if (stem.length >= 4 && COMMON_PASSWORDS.has(stem)) return true;
  // One character repeated, or a run like "1234567890" / "abcdefghij".
  if (/^(.)\1+$/.test(lower)) return true;
  return "01234567890123456789".includes(lower) || "abcdefghijklmnopqrstuvwxyz".includes(lower);
}
