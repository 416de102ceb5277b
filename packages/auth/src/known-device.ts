import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * A device the account signed in on before: a cookie set at each successful sign-in, holding a random
 * device id and an HMAC binding it to the account (keyed with the auth secret), so no table is needed
 * and it cannot be forged or moved to another account. Sign-in from a known device is its own lockout
 * source and is not paused when the account is attacked from elsewhere.
 */
export const KNOWN_DEVICE_MAX_AGE_S = 60 * 60 * 24 * 365;

export function knownDeviceCookieName(production: boolean): string {
  return production ? "__Host-ktizo.device" : "ktizo.device";
}

function mac(secret: string, userId: string, deviceId: string): string {
  return createHmac("sha256", secret).update(`known-device:${userId}:${deviceId}`).digest("base64url");
}

export function newKnownDevice(secret: string, userId: string, deviceId?: string): string {
  const id = deviceId ?? randomBytes(16).toString("base64url");
  return `${id}.${mac(secret, userId, id)}`;
}

/** The device id if the cookie value is a known device of this account, else null. */
export function knownDeviceId(
  secret: string,
  userId: string,
  value: string | null | undefined,
): string | null {
  const [id, given, ...rest] = (value ?? "").split(".");
  if (!id || !given || rest.length > 0 || id.length > 64) return null;
  const expected = Buffer.from(mac(secret, userId, id));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : null;
}
