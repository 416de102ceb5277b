import type { OrganizationRole } from "@ktizo/db";
import { sql } from "kysely";
import type { Executor } from "./common.ts";

export interface TeamMember {
  memberId: string;
  userId: string;
  name: string;
  email: string;
  role: OrganizationRole;
  joinedAt: Date;
  /** Jobs in progress assigned through this member's status changes, for the team page. */
  openJobsTouched: number;
}

/**
 * The shop's members and roles (read-only here: invitations and role changes belong to the account
 * router, which uses better-auth's organization plugin).
 */
export async function listTeam(db: Executor, organizationId: string): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom("member")
    .innerJoin("user", "user.id", "member.userId")
    .select([
      "member.id as memberId",
      "member.userId",
      "user.name",
      "user.email",
      "member.role",
      "member.createdAt as joinedAt",
      sql<number>`(select count(*)::int from job j where j.organization_id = member.organization_id and j.status_changed_by = member.user_id and j.status not in ('completed', 'cancelled'))`.as(
        "openJobsTouched",
      ),
    ])
    .where("member.organizationId", "=", organizationId)
    .orderBy(sql`case member.role when 'owner' then 0 when 'admin' then 1 else 2 end`)
    .orderBy("user.name")
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as OrganizationRole }));
}
