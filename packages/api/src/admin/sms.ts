import type { Executor } from "../kernel/index.ts";

/** The shops that can text (an SMS number set), for the console's simulated customer reply. */
export async function listSmsSenders(db: Executor) {
  return db
    .selectFrom("shopSmsSettings as s")
    .innerJoin("organization as o", "o.id", "s.organizationId")
    .select(["s.organizationId", "o.name", "s.phoneE164"])
    .orderBy("o.name")
    .orderBy("s.organizationId")
    .limit(500)
    .execute();
}
