import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A random, URL-safe id (26 chars of base36, ~134 bits), optionally prefixed ("job_…"). */
export function newId(prefix?: string): string {
  const bytes = randomBytes(26);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % 36];
  return prefix ? `${prefix}_${id}` : id;
}
