import type { Database } from "@ktizo/db";

export interface Readiness {
  ok: boolean;
  database: "ok" | "unreachable";
  /** Why the process should get no traffic, when it should not. */
  reason?: string;
}

/**
 * Readiness: can this process serve a request now? It pings the database with a short timeout, so
 * a balancer stops sending traffic while PostgreSQL is down and resumes when it is back (the pool
 * reconnects by itself). Liveness (`/livez`) only says the process runs; it must not depend on the
 * database, or an outage would make the orchestrator restart every healthy app server.
 */
export async function checkReadiness(
  db: Database,
  options: { timeoutMs?: number; draining?: boolean } = {},
): Promise<Readiness> {
  if (options.draining) return { ok: false, database: "ok", reason: "stopping" };
  const timeoutMs = options.timeoutMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.selectNoFrom((eb) => eb.lit(1).as("one")).execute(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      }),
    ]);
    return { ok: true, database: "ok" };
  } catch (error) {
    return {
      ok: false,
      database: "unreachable",
      reason: `database: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
