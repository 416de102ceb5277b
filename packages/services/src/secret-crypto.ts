import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

/**
 * The one way Ktizo stores a third party's secret (a Google refresh token, a printer's API key): a 256-bit
 * key per purpose, derived from BETTER_AUTH_SECRET with HKDF so no second secret must be managed.
 */
export function deriveSecretKey(appSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret, "ktizo-services", purpose, 32));
}

/**
 * AES-256-GCM with the owning organization's id as associated data: a ciphertext copied to another
 * organization's row does not decrypt.
 */
export function encryptSecret(key: Buffer, plaintext: string, organizationId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(organizationId, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

export function decryptSecret(key: Buffer, ciphertext: string, organizationId: string): string {
  const [version, iv, tag, body] = ciphertext.split(".");
  if (version !== VERSION || !iv || !tag || !body) throw new Error("Unrecognised secret ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(organizationId, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
