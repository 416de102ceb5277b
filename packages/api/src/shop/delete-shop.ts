import { recordAudit } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import { conflict, notFound } from "../errors.ts";
import { type Executor, inTransaction, type MemberActor } from "./common.ts";

export const deleteShopInput = z.object({
  /** The shop's URL name typed again, so a shop is never deleted by a stray click. */
  confirmSlug: z.string().trim().toLowerCase().min(1, "Type the shop's URL name to confirm"),
});

function isForeignKeyViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && e.code === "23503";
}

/**
 * Deletes the shop (owners only): its organization and, by cascade, everything of its workspace.
 * Refused while jobs are open, and when other records (marketplace orders) must be kept.
 * The audit row survives the organization.
 */
export async function deleteShop(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof deleteShopInput>,
): Promise<{ deleted: true }> {
  const org = await db
    .selectFrom("organization")
    .select(["id", "slug", "name"])
    .where("id", "=", actor.organizationId)
    .executeTakeFirst();
  if (!org) throw notFound("Shop not found");
  if (input.confirmSlug !== org.slug) {
    throw conflict("The URL name does not match", { confirmSlug: `Type ${org.slug} to confirm` });
  }
  const open = await db
    .selectFrom("job")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("organizationId", "=", org.id)
    .where("status", "not in", ["completed", "cancelled"])
    .executeTakeFirstOrThrow();
  if (open.n > 0) throw conflict(`Finish or cancel the ${open.n} open job(s) first`);
  try {
    await inTransaction(db, async (trx) => {
      await recordAudit(trx, {
        organizationId: org.id,
        actorUserId: actor.userId,
        action: "shop.deleted",
        subjectType: "organization",
        subjectId: org.id,
        data: { slug: org.slug, name: org.name },
      });
      await trx
        .updateTable("session")
        .set({ activeOrganizationId: null })
        .where("activeOrganizationId", "=", org.id)
        .execute();
      await trx.deleteFrom("organization").where("id", "=", org.id).execute();
    });
  } catch (e) {
    if (isForeignKeyViolation(e)) {
      throw conflict(
        "This shop has records that must be kept (such as marketplace orders); unlist it instead",
      );
    }
    throw e;
  }
  return { deleted: true };
}
