import { type Kysely, sql } from "kysely";

// Exact stock (issues 11 and 18). A job's reservation of a material becomes a row of its own, closed
// exactly once by a conditional update (released or consumed), so a release gives back what was
// reserved and never twice. Every ledger row states its effect on on-hand and reserved stock, so the
// material's figures are the sums of its ledger; checks keep the effects consistent with the kind.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table stock_reservation (
    id text primary key,
    organization_id text not null references organization (id) on delete cascade,
    job_id text not null references job (id) on delete cascade,
    material_id text not null references material (id) on delete cascade,
    grams integer not null check (grams > 0),
    created_at timestamptz not null default now(),
    ended_at timestamptz,
    outcome text check (outcome in ('released', 'consumed')),
    constraint stock_reservation_end_check check ((ended_at is null) = (outcome is null))
  )`.execute(db);
  // At most one open reservation per job and material: a second reserve cannot slip in.
  await sql`create unique index stock_reservation_open_unique on stock_reservation (job_id, material_id)
    where ended_at is null`.execute(db);
  await sql`create index stock_reservation_material_open_idx on stock_reservation (material_id)
    where ended_at is null`.execute(db);

  await sql`alter table stock_movement
    add column reservation_id text references stock_reservation (id),
    add column on_hand_delta_g integer,
    add column reserved_delta_g integer`.execute(db);
  await sql`create index stock_movement_reservation_idx on stock_movement (reservation_id)
    where reservation_id is not null`.execute(db);

  // Rows written before: their effect is the step between consecutive "after" figures of the material.
  await sql`update stock_movement s set on_hand_delta_g = x.d_on, reserved_delta_g = x.d_res
    from (
      select id,
        on_hand_after_g - coalesce(lag(on_hand_after_g) over w, 0) as d_on,
        reserved_after_g - coalesce(lag(reserved_after_g) over w, 0) as d_res
      from stock_movement
      window w as (partition by material_id order by created_at, id)
    ) x
    where x.id = s.id`.execute(db);

  // Jobs holding material get their reservation rows, from what their items need.
  await sql`insert into stock_reservation (id, organization_id, job_id, material_id, grams, created_at)
    select 'srv_' || md5(j.id || '/' || i.material_id), j.organization_id, j.id, i.material_id,
      sum(i.grams_per_unit * i.quantity)::int, now()
    from job j join job_item i on i.job_id = j.id
    where j.stock_state = 'reserved' and i.material_id is not null
    group by j.id, j.organization_id, i.material_id
    having sum(i.grams_per_unit * i.quantity) > 0`.execute(db);

  // Where the figures drifted from the ledger or from the open reservations (the double release of
  // issue 18), one reconciling row per material brings ledger and figures in line.
  await sql`insert into stock_movement (id, organization_id, material_id, kind, grams, on_hand_after_g,
      reserved_after_g, reason, on_hand_delta_g, reserved_delta_g, created_at)
    select 'stk_' || md5('reconcile/' || m.id), m.organization_id, m.id,
      case when t.reserved - coalesce(l.reserved, 0) > 0 then 'reserve'
           when t.reserved - coalesce(l.reserved, 0) < 0 then 'release' else 'adjust' end,
      case when t.reserved <> coalesce(l.reserved, 0) then abs(t.reserved - coalesce(l.reserved, 0))
           else m.on_hand_g - coalesce(l.on_hand, 0) end,
      m.on_hand_g, t.reserved, 'Reconciled with the open job reservations',
      m.on_hand_g - coalesce(l.on_hand, 0), t.reserved - coalesce(l.reserved, 0), now()
    from material m
    cross join lateral (
      select coalesce(sum(r.grams), 0)::int as reserved from stock_reservation r
      where r.material_id = m.id and r.ended_at is null
    ) t
    left join (
      select material_id, sum(on_hand_delta_g)::int as on_hand, sum(reserved_delta_g)::int as reserved
      from stock_movement group by material_id
    ) l on l.material_id = m.id
    where m.on_hand_g <> coalesce(l.on_hand, 0) or t.reserved <> coalesce(l.reserved, 0)`.execute(db);
  await sql`update material m set reserved_g = coalesce((
      select sum(r.grams) from stock_reservation r where r.material_id = m.id and r.ended_at is null), 0)`.execute(
    db,
  );

  await sql`alter table stock_movement
    alter column on_hand_delta_g set not null,
    alter column reserved_delta_g set not null`.execute(db);
  // New rows only (not valid): rows written before the reservations existed have no reservation_id.
  await sql`alter table stock_movement add constraint stock_movement_effect_check check (
    on_hand_after_g >= 0 and reserved_after_g >= 0 and case kind
      when 'reserve' then grams > 0 and reservation_id is not null
        and on_hand_delta_g = 0 and reserved_delta_g = grams
      when 'release' then grams > 0 and reservation_id is not null
        and on_hand_delta_g = 0 and reserved_delta_g = -grams
      when 'consume' then grams > 0 and on_hand_delta_g = -grams
        and reserved_delta_g = case when reservation_id is null then 0 else -grams end
      when 'adjust' then grams <> 0 and reservation_id is null
        and on_hand_delta_g = grams and reserved_delta_g = 0
      else false end
  ) not valid`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table stock_movement drop constraint stock_movement_effect_check,
    drop column reservation_id, drop column on_hand_delta_g, drop column reserved_delta_g`.execute(db);
  await sql`drop table stock_reservation`.execute(db);
}
