import { type DB, newId, type OrganizationRole } from "@ktizo/db";
import type { Insertable, Kysely, Transaction } from "kysely";

/**
 * The data builders the tests and the demo seed share: rows of users, organizations and memberships made
 * the one way. Nothing here belongs to a test runner (the demo imports it in production builds).
 */
type Db = Kysely<DB> | Transaction<DB>;

export async function insertUser(
  db: Db,
  user: { id?: string; name: string; email: string; role: string | null; country?: string },
): Promise<string> {
  const id = user.id ?? newId("usr");
  await db
    .insertInto("user")
    .values({
      id,
      name: user.name,
      email: user.email,
      emailVerified: true,
      role: user.role,
      ...(user.country ? { country: user.country } : {}),
    })
    .execute();
  return id;
}

/** An organization with its business profile. */
export async function insertOrganization(
  db: Db,
  org: { name: string; slug?: string },
  profile: Omit<Insertable<DB["organizationProfile"]>, "organizationId">,
): Promise<string> {
  const id = newId("org");
  await db
    .insertInto("organization")
    .values({ id, name: org.name, slug: org.slug ?? id.replace("_", "-") })
    .execute();
  await db
    .insertInto("organizationProfile")
    .values({ organizationId: id, ...profile })
    .execute();
  return id;
}

/** Makes `userId` a member; with `ifMissing`, an existing membership is left as it is. */
export async function insertMember(
  db: Db,
  organizationId: string,
  userId: string,
  role: OrganizationRole,
  options: { ifMissing?: boolean } = {},
): Promise<void> {
  const insert = db.insertInto("member").values({ id: newId("mem"), organizationId, userId, role });
  await (options.ifMissing
    ? insert.onConflict((oc) => oc.columns(["organizationId", "userId"]).doNothing())
    : insert
  ).execute();
}
