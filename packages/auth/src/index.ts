export { isCountryCode, minimumAge } from "./age.ts";
export { type Auth, type AuthDeps, createAuth, SIGN_IN_FAILED_MESSAGE } from "./auth.ts";
export { accountEmails } from "./emails.ts";
export { LOCKOUT_DURATION_MS, LOCKOUT_MAX_FAILURES, LOCKOUT_WINDOW_MS } from "./lockout.ts";
export { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy.ts";
export { BCRYPT_COST, hashPassword, verifyPassword } from "./passwords.ts";
export { type AuthSettings, authSettingsSchema } from "./settings.ts";
