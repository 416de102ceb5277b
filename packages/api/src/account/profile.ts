import { type OrganizationRole, recordAudit } from "@ktizo/db";
import { sql } from "kysely";
import { jsonObjectFrom } from "kysely/helpers/postgres";
import { type Executor, inTransaction, notFound } from "../kernel/index.ts";
import { type OrganizationView, organizationQuery, organizationView } from "./organizations.ts";
import type { UpdateProfileInput } from "./schemas.ts";

export interface MembershipView {
  organizationId: string;
  name: string;
  slug: string;
  role: OrganizationRole;
}

export interface MeView {
  profile: {
    id: string;
    name: string;
    email: string;
    emailVerified: boolean;
    country: string | null;
    image: string | null;
  };
  memberships: MembershipView[];
  /** The session's active organization, or null when the user is no longer a member of it. */
  activeOrganizationId: string | null;
}

/** The user's organizations with their roles, by name. */
export async function listMemberships(db: Executor, userId: string): Promise<MembershipView[]> {
  const rows = await db
    .selectFrom("member")
    .innerJoin("organization", "organization.id", "member.organizationId")
    .select(["organization.id as organizationId", "organization.name", "organization.slug", "member.role"])
    .where("member.userId", "=", userId)
    .orderBy("organization.name")
    .orderBy("organization.id")
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as OrganizationRole }));
}

/** The account, its organizations and, when the session has one, its view of the active organization. */
export interface AccountRead {
  me: MeView;
  activeOrganization: OrganizationView | null;
}

/**
 * The account and its organizations, with the active one's view, in one statement: every workspace page
 * view asks for both (`account.me`, then `account.organization.get`).
 */
export async function readAccount(
  db: Executor,
  userId: string,
  activeOrganizationId: string | null,
): Promise<AccountRead> {
  const rows = await db
    .selectFrom("user")
    .leftJoin("member", "member.userId", "user.id")
    .leftJoin("organization", "organization.id", "member.organizationId")
    .select([
      "user.id",
      "user.name",
      "user.email",
      "user.emailVerified",
      "user.country",
      "user.image",
      "organization.id as organizationId",
      "organization.name as organizationName",
      "organization.slug",
      "member.role",
    ])
    .select(
      activeOrganizationId
        ? jsonObjectFrom(organizationQuery(db, activeOrganizationId)).as("activeOrganization")
        : sql<null>`null`.as("activeOrganization"),
    )
    .where("user.id", "=", userId)
    .orderBy("organization.name")
    .orderBy("organization.id")
    .execute();
  const first = rows[0];
  if (!first) throw notFound("Account not found");
  const { id, name, email, emailVerified, country, image } = first;
  // Without organizations the one row has no membership columns (left joins); with them, all are set.
  const memberships = rows.flatMap((r): MembershipView[] =>
    r.organizationId === null
      ? []
      : [
          {
            organizationId: r.organizationId,
            name: r.organizationName as string,
            slug: r.slug as string,
            role: r.role as OrganizationRole,
          },
        ],
  );
  const membership = memberships.find((m) => m.organizationId === activeOrganizationId);
  // Read as JSON (a subquery), so its one timestamp comes back as text.
  const row = first.activeOrganization;
  return {
    me: {
      profile: { id, name, email, emailVerified, country, image },
      memberships,
      activeOrganizationId: membership?.organizationId ?? null,
    },
    activeOrganization:
      membership && row
        ? organizationView({ ...row, createdAt: new Date(row.createdAt) }, membership.role)
        : null,
  };
}

/** Name and country. The email changes only through better-auth's confirmed change-email flow. */
export async function updateProfile(
  db: Executor,
  userId: string,
  input: UpdateProfileInput,
  now: Date,
): Promise<MeView["profile"]> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("user")
      .select(["name", "country"])
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound("Account not found");
    const after = await trx
      .updateTable("user")
      .set({ name: input.name, country: input.country, updatedAt: now })
      .where("id", "=", userId)
      .returning(["id", "name", "email", "emailVerified", "country", "image"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: userId,
      action: "user.profile_updated",
      subjectType: "user",
      subjectId: userId,
      data: { before, after: { name: after.name, country: after.country } },
    });
    return after;
  });
}
