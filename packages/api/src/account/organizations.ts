import { newId, type OrganizationRole, recordAudit } from "@ktizo/db";
import {
  conflict,
  type Executor,
  inTransaction,
  isUniqueViolation,
  type MemberActor,
  notFound,
  preconditionFailed,
  type UserActor,
} from "../kernel/index.ts";
import { startOnFreePlan } from "../shop/plans.ts";
import { clearActiveOrganization, countOwners, lockOrganization } from "./common.ts";
import type { BusinessDetails, CreateOrganizationInput } from "./schemas.ts";
import { generateUniqueSlug, randomSlug, slugBase } from "./slug.ts";

export interface OrganizationView {
  id: string;
  name: string;
  slug: string;
  createdAt: Date;
  /** The caller's role in it. */
  role: OrganizationRole;
  profile: BusinessDetails;
  /** The shop's time zone (its profile's), which its workspace shows times in; UTC until it sets one. */
  timeZone: string;
}

const SLUG_TAKEN = "This address is already taken";

/**
 * Creates an organization with its business profile and the caller as owner, and makes it the active
 * organization of the caller's session: all in one transaction, with an audit row.
 * A slug the caller chose that is taken is CONFLICT on `slug`; a generated one is made unique.
 */
export async function createOrganization(
  db: Executor,
  actor: UserActor,
  input: CreateOrganizationInput,
): Promise<OrganizationView> {
  if (input.slug) {
    const taken = await db
      .selectFrom("organization")
      .select("id")
      .where("slug", "=", input.slug)
      .executeTakeFirst();
    if (taken) throw conflict(SLUG_TAKEN, { slug: SLUG_TAKEN });
  }
  const slug = input.slug ?? (await generateUniqueSlug(db, input.name));
  try {
    return await insertOrganization(db, actor, input, slug);
  } catch (error) {
    // Someone took the slug between the check and the insert.
    if (!isUniqueViolation(error, "organization_slug_key")) throw error;
    if (input.slug) throw conflict(SLUG_TAKEN, { slug: SLUG_TAKEN });
    return insertOrganization(db, actor, input, randomSlug(slugBase(input.name)));
  }
}

async function insertOrganization(
  db: Executor,
  actor: UserActor,
  input: CreateOrganizationInput,
  slug: string,
): Promise<OrganizationView> {
  const { name, slug: _chosen, ...details } = input;
  return inTransaction(db, async (trx) => {
    const organization = await trx
      .insertInto("organization")
      .values({ id: newId("org"), name, slug })
      .returning(["id", "name", "slug", "createdAt"])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("member")
      .values({ id: newId("mem"), organizationId: organization.id, userId: actor.userId, role: "owner" })
      .execute();
    await trx
      .insertInto("organizationProfile")
      .values({ organizationId: organization.id, ...details })
      .execute();
    // A new shop starts on the platform's Free plan (issue 16, req. 9).
    await startOnFreePlan(trx, organization.id);
    await setActiveOrganization(trx, actor, organization.id);
    await recordAudit(trx, {
      organizationId: organization.id,
      actorUserId: actor.userId,
      action: "organization.created",
      subjectType: "organization",
      subjectId: organization.id,
      data: { name, slug, ...details },
    });
    return { ...organization, role: "owner", profile: details, timeZone: "UTC" };
  });
}

/** Points the caller's current session (only that one) at an organization, or at none. */
export async function setActiveOrganization(
  db: Executor,
  actor: UserActor,
  organizationId: string | null,
): Promise<void> {
  await db
    .updateTable("session")
    .set({ activeOrganizationId: organizationId })
    .where("id", "=", actor.sessionId)
    .where("userId", "=", actor.userId)
    .execute();
}

/** Makes an organization the caller is a member of the active one; any other id is NOT_FOUND. */
export async function switchOrganization(
  db: Executor,
  actor: UserActor,
  organizationId: string,
): Promise<{ activeOrganizationId: string; role: OrganizationRole }> {
  const membership = await db
    .selectFrom("member")
    .select("role")
    .where("organizationId", "=", organizationId)
    .where("userId", "=", actor.userId)
    .executeTakeFirst();
  if (!membership) throw notFound("Organization not found");
  await setActiveOrganization(db, actor, organizationId);
  return { activeOrganizationId: organizationId, role: membership.role as OrganizationRole };
}

/** The organization and its business profile, as its view shows them (also read by `readAccount`). */
export function organizationQuery(db: Executor, organizationId: string) {
  return db
    .selectFrom("organization")
    .innerJoin("organizationProfile", "organizationProfile.organizationId", "organization.id")
    .leftJoin("shopSettings", "shopSettings.organizationId", "organization.id")
    .select([
      "organization.id",
      "organization.name",
      "organization.slug",
      "organization.createdAt",
      "organizationProfile.companyName",
      "organizationProfile.phone",
      "organizationProfile.addressLine1",
      "organizationProfile.addressLine2",
      "organizationProfile.city",
      "organizationProfile.postalCode",
      "organizationProfile.region",
      "organizationProfile.country",
      "organizationProfile.currency",
      "shopSettings.timezone",
    ])
    .where("organization.id", "=", organizationId);
}

export type OrganizationRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof organizationQuery>["executeTakeFirst"]>>
>;

export function organizationView(row: OrganizationRow, role: OrganizationRole): OrganizationView {
  const { id, name, slug, createdAt, timezone, ...profile } = row;
  return { id, name, slug, createdAt, role, profile, timeZone: timezone ?? "UTC" };
}

/** The page-view read of a member's view of an organization (`account.me` knows it too). */
export const organizationRead = (organizationId: string, userId: string, role: OrganizationRole) =>
  `organization:${organizationId}:${userId}:${role}`;

/** The caller's active organization with its business profile. */
export async function getOrganization(
  db: Executor,
  actor: MemberActor & { role: OrganizationRole },
): Promise<OrganizationView> {
  const row = await organizationQuery(db, actor.organizationId).executeTakeFirst();
  if (!row) throw notFound("Organization not found");
  return organizationView(row, actor.role);
}

/**
 * The caller leaves the organization. The last owner cannot (ownership must go to someone first).
 * Sessions that had it active forget it.
 */
export async function leaveOrganization(db: Executor, actor: MemberActor): Promise<{ left: true }> {
  return inTransaction(db, async (trx) => {
    if (!(await lockOrganization(trx, actor.organizationId))) throw notFound("Organization not found");
    const membership = await trx
      .selectFrom("member")
      .select(["id", "role"])
      .where("organizationId", "=", actor.organizationId)
      .where("userId", "=", actor.userId)
      .executeTakeFirst();
    if (!membership) throw notFound("Organization not found");
    if (membership.role === "owner" && (await countOwners(trx, actor.organizationId)) <= 1) {
      throw preconditionFailed(
        "You are the only owner. Make another member an owner first, then leave the organization.",
      );
    }
    await trx.deleteFrom("member").where("id", "=", membership.id).execute();
    await clearActiveOrganization(trx, actor.userId, actor.organizationId);
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "member.left",
      subjectType: "member",
      subjectId: membership.id,
      data: { userId: actor.userId, role: membership.role },
    });
    return { left: true };
  });
}
