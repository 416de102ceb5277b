import { type Kysely, sql } from "kysely";

// Exact stock (issue 18), enforced by the database: a material's on-hand and reserved figures change
// only by writing a stock_movement row, whose effect the row's trigger applies to the material (and
// whose "after" figures it fills in from the result). Any other change of the figures is refused, so
// they are the sums of the ledger by construction; the material's checks keep them from going negative.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function stock_movement_apply() returns trigger language plpgsql as $$
    begin
      update material
        set on_hand_g = on_hand_g + new.on_hand_delta_g, reserved_g = reserved_g + new.reserved_delta_g
        where id = new.material_id
        returning on_hand_g, reserved_g into new.on_hand_after_g, new.reserved_after_g;
      if not found then
        raise exception 'Material % not found', new.material_id using errcode = '23503';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger stock_movement_apply before insert on stock_movement
    for each row execute function stock_movement_apply()`.execute(db);

  // pg_trigger_depth() is 1 for a statement's own trigger, 2 when the ledger's trigger updates the row.
  await sql`create function material_stock_from_ledger() returns trigger language plpgsql as $$
    begin
      if pg_trigger_depth() = 1 and (
        (tg_op = 'INSERT' and (new.on_hand_g <> 0 or new.reserved_g <> 0)) or
        (tg_op = 'UPDATE' and (new.on_hand_g <> old.on_hand_g or new.reserved_g <> old.reserved_g))
      ) then
        raise exception 'Stock changes only through the stock ledger (stock_movement)' using errcode = '23514';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger material_stock_from_ledger before insert or update of on_hand_g, reserved_g
    on material for each row execute function material_stock_from_ledger()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger material_stock_from_ledger on material`.execute(db);
  await sql`drop function material_stock_from_ledger()`.execute(db);
  await sql`drop trigger stock_movement_apply on stock_movement`.execute(db);
  await sql`drop function stock_movement_apply()`.execute(db);
}
