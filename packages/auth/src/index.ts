export { isCountryCode, minimumAge } from "./age.ts";
export { AUTH_COOKIE_NAMES, type Auth, type AuthDeps, createAuth, SIGN_IN_FAILED_MESSAGE } from "./auth.ts";
export { accountEmails } from "./emails.ts";
export { knownDeviceCookieName } from "./known-device.ts";
export {
  ACCOUNT_ATTACK_FAILURES,
  LOCKOUT_DURATION_MS,
  LOCKOUT_MAX_FAILURES,
  LOCKOUT_WINDOW_MS,
} from "./lockout.ts";
export { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy.ts";
export { BCRYPT_COST, hashPassword, verifyPassword } from "./passwords.ts";
export { type AuthSettings, authSettingsSchema } from "./settings.ts";
