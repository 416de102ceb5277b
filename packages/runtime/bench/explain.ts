/**
 * `pnpm bench:explain`: which queries the busiest pages and procedures run most, and how PostgreSQL
 * plans them at realistic size (issue 17, requirement 4). Seeds a scratch database of the PostgreSQL
 * server at BENCH_DATABASE_URL / TEST_DATABASE_URL with 200 shops, 20,000 jobs and 50,000 orders, opens
 * every bench:api target `--requests` times, reads pg_stat_statements and prints the ten most frequent
 * statements with their mean time and their generic plan, flagging sequential scans of big tables.
 *
 *   pnpm bench:explain [--requests 20] [--small]
 *
 * The server needs `shared_preload_libraries=pg_stat_statements` (tooling/scripts/throwaway-postgres.sh
 * starts it so).
 */
import pg from "pg";
import { benchTargets, startBenchPlatform } from "./platform.ts";
import { REALISTIC } from "./volume.ts";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const REQUESTS = Number(arg("--requests") ?? 20);
const VOLUME = process.argv.includes("--small") ? { shops: 20, jobs: 2_000, orders: 5_000 } : REALISTIC;
/** A sequential scan of a table this big is worth an index. */
const BIG_TABLE_ROWS = 5_000;

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) {
  console.error(
    "Set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server (with pg_stat_statements).",
  );
  process.exit(1);
}

const platform = await startBenchPlatform(VOLUME, url);
// One connection of our own: prepared statements and settings stay on it.
const client = new pg.Client({ connectionString: platform.databaseUrl! });
await client.connect();
try {
  await client.query("create extension if not exists pg_stat_statements");
  await client.query("select pg_stat_statements_reset()");
} catch (error) {
  console.error(
    `pg_stat_statements is not available (${String(error)}): start PostgreSQL with shared_preload_libraries=pg_stat_statements`,
  );
  await client.end();
  await platform.close();
  process.exit(1);
}
await client.query("analyze");

for (const target of benchTargets(platform)) {
  for (let i = 0; i < REQUESTS; i++) {
    const response = await fetch(`${platform.webUrl}${target.path}`, {
      headers: {
        ...(target.cookie ? { cookie: target.cookie } : {}),
        "x-forwarded-for": `10.9.${i >> 8}.${i & 255}`,
      },
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${target.name}: ${response.status}`);
  }
}

const bigTables = new Set(
  (
    await client.query<{ relname: string }>(
      "select relname from pg_stat_user_tables where n_live_tup >= $1",
      [BIG_TABLE_ROWS],
    )
  ).rows.map((r) => r.relname),
);
const top = await client.query<{ query: string; calls: string; mean: number; rows: string }>(
  `select s.query, s.calls::text as calls, s.mean_exec_time as mean, s.rows::text as rows
   from pg_stat_statements s join pg_database d on d.oid = s.dbid
   where d.datname = current_database() and s.query not ilike '%pg_stat_statements%'
     and s.query !~* '^\\s*(begin|commit|rollback|set |analyze|create extension|select \\$1)'
   order by s.calls desc limit 10`,
);

console.log(
  `\n## The ten most frequent statements: ${VOLUME.shops} shops, ${VOLUME.jobs} jobs, ${VOLUME.orders} orders; every bench:api target opened ${REQUESTS} times\n`,
);
let rank = 0;
for (const row of top.rows) {
  rank++;
  let plan: string[];
  // PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN): prepare the statement and explain its generic plan, whose
  // shape does not depend on the (null) parameters.
  const highest = Math.max(0, ...(row.query.match(/\$\d+/g) ?? []).map((p) => Number(p.slice(1))));
  const params = highest ? `(${Array.from({ length: highest }, () => "null").join(", ")})` : "";
  try {
    await client.query("set plan_cache_mode = force_generic_plan");
    await client.query(`prepare ktizo_explain as ${row.query}`);
    const lines = await client.query<{ "QUERY PLAN": string }>(`explain execute ktizo_explain${params}`);
    plan = lines.rows.map((r) => r["QUERY PLAN"]);
  } catch (error) {
    plan = [`(not explained: ${String(error).split("\n")[0]})`];
  } finally {
    await client.query("deallocate all");
    await client.query("reset plan_cache_mode");
  }
  const seqScans = plan
    .map((line) => line.match(/Seq Scan on (\w+)/)?.[1])
    .filter((table): table is string => table !== undefined && bigTables.has(table));
  console.log(
    `${rank}. ${row.calls} calls, mean ${row.mean.toFixed(2)} ms, ${row.rows} rows${seqScans.length ? `  ⚠ sequential scan of ${[...new Set(seqScans)].join(", ")}` : ""}`,
  );
  console.log(`   ${row.query.replace(/\s+/g, " ").slice(0, 300)}`);
  for (const line of plan.slice(0, 8)) console.log(`     ${line}`);
}
await client.end();
await platform.close();
process.exit(0);
