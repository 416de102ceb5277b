import { decryptSecret, deriveSecretKey, encryptSecret } from "../secret-crypto.ts";

/** The key for Google refresh tokens (the purpose string keeps tokens stored before it decrypting). */
export function deriveTokenKey(appSecret: string): Buffer {
  return deriveSecretKey(appSecret, "google-refresh-token-v1");
}

export const encryptToken = encryptSecret;
export const decryptToken = decryptSecret;
