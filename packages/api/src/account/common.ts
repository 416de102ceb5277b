import type { Executor } from "../kernel/index.ts";

/**
 * Locks the organization row for the rest of the transaction. Membership changes take it first so that
 * two concurrent changes cannot both pass a "not the last owner" check. Returns false when it is gone.
 */
export async function lockOrganization(trx: Executor, organizationId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("organization")
    .select("id")
    .where("id", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function countOwners(trx: Executor, organizationId: string): Promise<number> {
  const row = await trx
    .selectFrom("member")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organizationId", "=", organizationId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Sessions of `userId` that had `organizationId` active forget it (after leaving or removal). */
export async function clearActiveOrganization(trx: Executor, userId: string, organizationId: string) {
  await trx
    .updateTable("session")
    .set({ activeOrganizationId: null })
    .where("userId", "=", userId)
    .where("activeOrganizationId", "=", organizationId)
    .execute();
}
