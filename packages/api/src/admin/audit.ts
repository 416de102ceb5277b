import { sql } from "kysely";
import { toCsv } from "../job/csv.ts";
import { type Executor, likePattern, type Page, pageRows, toPage } from "../kernel/index.ts";
import type { AuditExportInput, SearchAuditInput } from "./schemas.ts";

export interface AuditEntryView {
  id: string;
  createdAt: Date;
  action: string;
  actor: { id: string; name: string; email: string } | null;
  organization: { id: string; name: string } | null;
  subjectType: string;
  subjectId: string;
  /** The entry's details as JSON text (what changed, reasons, amounts). */
  data: string;
}

/** Rows of one CSV export at most (narrow the search for more). */
export const AUDIT_EXPORT_LIMIT = 10_000;

function filtered(db: Executor, input: Omit<SearchAuditInput, "page" | "pageSize">) {
  let q = db
    .selectFrom("auditLog as a")
    .leftJoin("user as u", "u.id", "a.actorUserId")
    .leftJoin("organization as g", "g.id", "a.organizationId");
  if (input.actor) {
    const p = likePattern(input.actor);
    q = q.where((eb) =>
      eb.or([
        eb("u.name", "ilike", p),
        eb("u.email", "ilike", p),
        eb("a.actorUserId", "=", input.actor ?? ""),
      ]),
    );
  }
  if (input.organization) {
    const p = likePattern(input.organization);
    q = q.where((eb) =>
      eb.or([
        eb("g.name", "ilike", p),
        eb("g.slug", "ilike", p),
        eb("a.organizationId", "=", input.organization ?? ""),
      ]),
    );
  }
  if (input.object) {
    const p = likePattern(input.object);
    q = q.where((eb) => eb.or([eb("a.subjectId", "=", input.object ?? ""), eb("a.subjectType", "ilike", p)]));
  }
  if (input.action) q = q.where("a.action", "ilike", likePattern(input.action));
  if (input.from) q = q.where("a.createdAt", ">=", new Date(`${input.from}T00:00:00Z`));
  if (input.to) q = q.where("a.createdAt", "<", new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000));
  return q;
}

const columns = [
  "a.id",
  "a.createdAt",
  "a.action",
  "a.actorUserId",
  "u.name as actorName",
  "u.email as actorEmail",
  "a.organizationId",
  "g.name as organizationName",
  "a.subjectType",
  "a.subjectId",
  "a.data",
] as const;

type Row = {
  id: string;
  createdAt: Date;
  action: string;
  actorUserId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  organizationId: string | null;
  organizationName: string | null;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
};

function view(r: Row): AuditEntryView {
  return {
    id: String(r.id),
    createdAt: r.createdAt,
    action: r.action,
    actor: r.actorUserId ? { id: r.actorUserId, name: r.actorName ?? "", email: r.actorEmail ?? "" } : null,
    organization: r.organizationId ? { id: r.organizationId, name: r.organizationName ?? "" } : null,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    data: JSON.stringify(r.data ?? {}),
  };
}

/** The platform's audit log, newest first: by actor, organization, object (id or type), action and day. */
export async function searchAudit(db: Executor, input: SearchAuditInput): Promise<Page<AuditEntryView>> {
  const base = filtered(db, input);
  const [rows, total] = await pageRows(
    base.select(columns).orderBy("a.createdAt", "desc").orderBy("a.id", "desc"),
    base.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(rows.map(view), total, input);
}

/** The same search as CSV (UTC times, formula-safe cells), newest first, at most AUDIT_EXPORT_LIMIT rows. */
export async function exportAudit(
  db: Executor,
  input: AuditExportInput,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const rows = await filtered(db, input)
    .select(columns)
    .orderBy("a.createdAt", "desc")
    .orderBy("a.id", "desc")
    .limit(AUDIT_EXPORT_LIMIT + 1)
    .execute();
  const kept = rows.slice(0, AUDIT_EXPORT_LIMIT).map(view);
  const csv = toCsv(
    [
      "time_utc",
      "action",
      "actor_id",
      "actor_email",
      "organization_id",
      "organization",
      "object_type",
      "object_id",
      "data",
    ],
    kept.map((e) => [
      e.createdAt,
      e.action,
      e.actor?.id,
      e.actor?.email,
      e.organization?.id,
      e.organization?.name,
      e.subjectType,
      e.subjectId,
      e.data,
    ]),
  );
  return { csv, rows: kept.length, truncated: rows.length > AUDIT_EXPORT_LIMIT };
}
