import { openPglite } from "@ktizo/db";
import { describe, expect, it } from "vitest";
import { checkReadiness } from "./health.ts";

describe("readiness", () => {
  it("is ready with a reachable database, not while draining, and reports a lost database", async () => {
    const handle = await openPglite();
    expect(await checkReadiness(handle.db)).toEqual({ ok: true, database: "ok" });
    expect(await checkReadiness(handle.db, { draining: true })).toEqual({
      ok: false,
      database: "ok",
      reason: "stopping",
    });
    await handle.close();
    const lost = await checkReadiness(handle.db, { timeoutMs: 500 });
    expect(lost.ok).toBe(false);
    expect(lost.database).toBe("unreachable");
    expect(lost.reason).toMatch(/^database: /);
  });
});
