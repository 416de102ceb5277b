import { hash, verify } from "@node-rs/bcrypt";

/** bcrypt cost 12: ~250 ms per hash on these machines, the published work factor (P1). */
export const BCRYPT_COST = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { cost: BCRYPT_COST });
}

export async function verifyPassword({
  hash: stored,
  password,
}: {
  hash: string;
  password: string;
}): Promise<boolean> {
  try {
    return await verify(password, stored);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}
