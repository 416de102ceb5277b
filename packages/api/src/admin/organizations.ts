import { sql } from "kysely";
import { type Executor, likePattern, type Page, pageRows, toPage } from "../kernel/index.ts";
import type { ListOrganizationsInput } from "./schemas.ts";

export interface AdminOrganizationView {
  id: string;
  name: string;
  slug: string;
  country: string | null;
  memberCount: number;
  createdAt: Date;
}

/** Organizations, newest first, searched by name or slug (literally). */
export async function listOrganizations(
  db: Executor,
  input: ListOrganizationsInput,
): Promise<Page<AdminOrganizationView>> {
  let base = db
    .selectFrom("organization")
    .leftJoin("organizationProfile", "organizationProfile.organizationId", "organization.id");
  if (input.search) {
    const pattern = likePattern(input.search);
    base = base.where((eb) =>
      eb.or([eb("organization.name", "ilike", pattern), eb("organization.slug", "ilike", pattern)]),
    );
  }
  const [rows, total] = await pageRows(
    base
      .select([
        "organization.id",
        "organization.name",
        "organization.slug",
        "organizationProfile.country",
        "organization.createdAt",
        sql<number>`(select count(*)::int from member m where m.organization_id = organization.id)`.as(
          "memberCount",
        ),
      ])
      .orderBy("organization.createdAt", "desc")
      .orderBy("organization.id", "desc"),
    base.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(
    rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) })),
    total,
    input,
  );
}
