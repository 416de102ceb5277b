import { type Kysely, sql } from "kysely";

// Guest orders (issue 6, the embeddable quote widget): a visitor on a shop's own website orders
// without a Ktizo account, so an order may have no user. `source` says where the order was placed;
// a guest reads the order's status through a link carrying a random token (sent to the guest's email
// address). The token is stored as is: it only grants reading this order, which anyone able to read
// this table can read anyway, and every later status email must be able to repeat the link.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("marketplace_order")
    .alterColumn("user_id", (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable("marketplace_order")
    .addColumn("source", "text", (c) =>
      c.notNull().defaultTo("marketplace").check(sql`source in ('marketplace', 'widget')`),
    )
    .execute();
  await db.schema.alterTable("marketplace_order").addColumn("guest_access_token", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("marketplace_order").dropColumn("guest_access_token").execute();
  await db.schema.alterTable("marketplace_order").dropColumn("source").execute();
  await db.schema
    .alterTable("marketplace_order")
    .alterColumn("user_id", (c) => c.setNotNull())
    .execute();
}
