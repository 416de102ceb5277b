import { sql } from "kysely";
import type { Executor } from "../kernel/index.ts";

/**
 * Everything that must hold between a shop's materials, its stock ledger, its jobs' reservations and
 * its jobs, as a list of what is wrong (empty: all is well). Used by the stock tests after every step.
 * - on-hand and reserved are the sums of the ledger's effects, and never negative;
 * - reserved is the sum of the open reservations;
 * - every reservation has one "reserve" row, and one "release" or "consume" row once it has ended, each
 *   of exactly its grams (so nothing is released twice);
 * - a job holds open reservations only while scheduled, printing or on hold, and then exactly what its
 *   items need; a scheduled job has a printer and a slot (nothing is half-scheduled).
 */
export async function stockProblems(db: Executor, organizationId: string): Promise<string[]> {
  const problems: string[] = [];
  const materials = await sql<{
    id: string;
    name: string;
    onHand: number;
    reserved: number;
    ledgerOnHand: number;
    ledgerReserved: number;
    open: number;
  }>`select m.id, m.name, m.on_hand_g as "onHand", m.reserved_g as "reserved",
      coalesce((select sum(s.on_hand_delta_g) from stock_movement s where s.material_id = m.id), 0)::int
        as "ledgerOnHand",
      coalesce((select sum(s.reserved_delta_g) from stock_movement s where s.material_id = m.id), 0)::int
        as "ledgerReserved",
      coalesce((select sum(r.grams) from stock_reservation r
        where r.material_id = m.id and r.ended_at is null), 0)::int as "open"
    from material m where m.organization_id = ${organizationId} order by m.id`.execute(db);
  for (const m of materials.rows) {
    const at = `${m.name}: on hand ${m.onHand} g, reserved ${m.reserved} g`;
    if (m.onHand !== m.ledgerOnHand) problems.push(`${at}; the ledger says on hand ${m.ledgerOnHand} g`);
    if (m.reserved !== m.ledgerReserved)
      problems.push(`${at}; the ledger says reserved ${m.ledgerReserved} g`);
    if (m.reserved !== m.open) problems.push(`${at}; open reservations hold ${m.open} g`);
    if (m.onHand < 0 || m.reserved < 0) problems.push(`${at}; negative`);
  }

  const reservations = await sql<{
    id: string;
    grams: number;
    outcome: string | null;
    reserves: number;
    reserveGrams: number;
    ends: number;
    endGrams: number;
    endKind: string | null;
  }>`select r.id, r.grams, r.outcome,
      count(s.id) filter (where s.kind = 'reserve')::int as reserves,
      coalesce(sum(s.grams) filter (where s.kind = 'reserve'), 0)::int as "reserveGrams",
      count(s.id) filter (where s.kind in ('release', 'consume'))::int as ends,
      coalesce(sum(s.grams) filter (where s.kind in ('release', 'consume')), 0)::int as "endGrams",
      max(s.kind) filter (where s.kind in ('release', 'consume')) as "endKind"
    from stock_reservation r left join stock_movement s on s.reservation_id = r.id
    where r.organization_id = ${organizationId}
    group by r.id order by r.id`.execute(db);
  for (const r of reservations.rows) {
    if (r.reserves !== 1 || r.reserveGrams !== r.grams) {
      problems.push(
        `reservation ${r.id} (${r.grams} g) has ${r.reserves} reserve rows of ${r.reserveGrams} g`,
      );
    }
    const expectedEnds = r.outcome === null ? 0 : 1;
    const expectedKind = r.outcome === "released" ? "release" : r.outcome === "consumed" ? "consume" : null;
    if (
      r.ends !== expectedEnds ||
      (expectedEnds === 1 && (r.endGrams !== r.grams || r.endKind !== expectedKind))
    ) {
      problems.push(
        `reservation ${r.id} (${r.grams} g, ${r.outcome ?? "open"}) has ${r.ends} closing rows of ${r.endGrams} g`,
      );
    }
  }

  const jobs = await sql<{
    number: number;
    status: string;
    stockState: string;
    printerId: string | null;
    scheduledStartAt: Date | null;
    open: Record<string, number> | null;
    needs: Record<string, number> | null;
  }>`select j.number, j.status, j.stock_state as "stockState", j.printer_id as "printerId",
      j.scheduled_start_at as "scheduledStartAt",
      (select jsonb_object_agg(r.material_id, r.grams) from stock_reservation r
        where r.job_id = j.id and r.ended_at is null) as open,
      (select jsonb_object_agg(n.material_id, n.grams) from (
        select i.material_id, sum(i.grams_per_unit * i.quantity)::int as grams from job_item i
        where i.job_id = j.id and i.material_id is not null group by i.material_id
        having sum(i.grams_per_unit * i.quantity) > 0) n) as needs
    from job j where j.organization_id = ${organizationId} order by j.number`.execute(db);
  for (const j of jobs.rows) {
    const at = `job #${j.number} (${j.status}, stock ${j.stockState})`;
    const open = j.open ?? {};
    const holding = Object.keys(open).length > 0;
    if (holding && !["scheduled", "printing", "on_hold"].includes(j.status)) {
      problems.push(`${at} holds a reservation`);
    }
    if (holding && j.stockState !== "reserved") problems.push(`${at} holds a reservation`);
    if (
      j.stockState === "reserved" &&
      JSON.stringify(sorted(open)) !== JSON.stringify(sorted(j.needs ?? {}))
    ) {
      problems.push(`${at} holds ${JSON.stringify(open)} but needs ${JSON.stringify(j.needs ?? {})}`);
    }
    if (j.status === "scheduled" && (j.printerId === null || j.scheduledStartAt === null)) {
      problems.push(`${at} is scheduled without a printer and a slot`);
    }
    if (j.status === "scheduled" && j.stockState === "none")
      problems.push(`${at} is scheduled holding nothing`);
  }
  return problems;
}

function sorted(o: Record<string, number>) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
