import type { Database } from "@ktizo/db";

/** P29: requests must be answered within 30 days. */
export const ANSWER_WITHIN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface OpenPrivacyRequest {
  id: string;
  kind: "export" | "deletion" | "shop_deletion";
  status: string;
  userId: string | null;
  email: string | null;
  /** Shop deletions: the shop's name while it is scheduled. */
  shopName: string | null;
  requestedAt: Date;
  dueAt: Date | null;
  ageDays: number;
  /** "ok", "warn" (25+ days) or "overdue" (more than 30 days unanswered). */
  urgency: "ok" | "warn" | "overdue";
}

/**
 * Open privacy requests, oldest first, with their age (P29): exports not yet delivered and deletions
 * not yet carried out. A deletion is answered when it is scheduled (the user is told the date) but
 * stays listed until the purge, so one stuck past its date shows as overdue.
 */
export async function listOpenRequests(db: Database, now: Date): Promise<OpenPrivacyRequest[]> {
  const rows = await db
    .selectFrom("privacyRequest")
    .leftJoin("user", "user.id", "privacyRequest.userId")
    .leftJoin("organization", "organization.id", "privacyRequest.organizationId")
    .select([
      "privacyRequest.id",
      "privacyRequest.kind",
      "privacyRequest.status",
      "privacyRequest.userId",
      "user.email",
      "organization.name as shopName",
      "privacyRequest.requestedAt",
      "privacyRequest.dueAt",
    ])
    .where("privacyRequest.status", "in", ["pending", "scheduled", "failed"])
    .orderBy("privacyRequest.requestedAt")
    .execute();
  return rows.map((r) => {
    const ageDays = Math.floor((now.getTime() - r.requestedAt.getTime()) / DAY_MS);
    let urgency: OpenPrivacyRequest["urgency"] = "ok";
    if (r.kind !== "export" && r.dueAt) {
      // Scheduled deletions are answered (the user was told the date); the purge must then run on time.
      const late = now.getTime() - r.dueAt.getTime();
      urgency = late > DAY_MS ? "overdue" : late > 0 ? "warn" : "ok";
    } else {
      // Exports are built within minutes; one a day old means the job is not running.
      urgency = ageDays > ANSWER_WITHIN_DAYS ? "overdue" : ageDays >= 1 ? "warn" : "ok";
    }
    return { ...r, ageDays, urgency };
  });
}
