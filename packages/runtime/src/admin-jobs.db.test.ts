import { adminJobs, adminSchemas } from "@ktizo/api";
import { createTestUser } from "@ktizo/api/testing";
import type { DbHandle } from "@ktizo/db";
import type { PgBoss } from "@ktizo/jobs";
import { startTestQueue, stopTestQueue } from "@ktizo/jobs/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The admin console's view of background work against real pg-boss tables (the API reads pg-boss's
 * schema with SQL; this package is the one that may start pg-boss): counts by state, failed jobs with
 * their error and attempts, retry and cancel with pg-boss's own semantics, schedules and last runs.
 */
let handle: DbHandle;
let boss: PgBoss;
beforeAll(async () => {
  ({ handle, boss } = await startTestQueue());
});
afterAll(() => stopTestQueue(handle, boss));

describe("admin background work", () => {
  it("lists queues with counts and schedules, failed jobs with errors, and retries or cancels once", async () => {
    const db = handle.db;
    const admin = await createTestUser(db, { name: "Ada Admin", platformRole: "admin" });
    await boss.createQueue("test-export", { name: "test-export", retryLimit: 0 });
    await boss.createQueue("test-purge", { name: "test-purge" });
    await boss.schedule("test-purge", "0 3 * * *", {}, { tz: "UTC" });

    const failing = await boss.send("test-export", { orgId: "o1" });
    const waiting = await boss.send("test-export", { orgId: "o2" }, { startAfter: 3600 });
    const [fetched] = await boss.fetch("test-export");
    expect(fetched?.id).toBe(failing);
    await boss.fail("test-export", failing ?? "", { message: "storage unreachable" });

    const queues = await adminJobs.listQueues(db);
    const exportQueue = queues.find((q) => q.name === "test-export");
    expect(exportQueue?.counts).toMatchObject({ failed: 1, created: 1, active: 0 });
    expect(exportQueue?.lastState).toBe("failed");
    expect(exportQueue?.lastStartedAt).toBeInstanceOf(Date);
    expect(queues.find((q) => q.name === "test-purge")).toMatchObject({ cron: "0 3 * * *", timezone: "UTC" });

    const failed = await adminJobs.listJobs(db, adminSchemas.listJobsInput.parse({ queue: "test-export" }));
    expect(failed.items).toEqual([
      expect.objectContaining({ id: failing, state: "failed", error: "storage unreachable", attempts: 1 }),
    ]);

    const input = { queue: "test-export", id: failing ?? "", action: "retry" as const };
    expect(await adminJobs.actOnJob(db, input, admin.userId)).toEqual({ id: failing, state: "retry" });
    // A second retry finds nothing failed and says so; pg-boss runs the retried job again.
    await expect(adminJobs.actOnJob(db, input, admin.userId)).rejects.toThrow(
      "Only a failed job can be retried",
    );
    const [again] = await boss.fetch("test-export");
    expect(again?.id).toBe(failing);

    await adminJobs.actOnJob(db, { queue: "test-export", id: waiting ?? "", action: "cancel" }, admin.userId);
    expect((await boss.getJobById("test-export", waiting ?? ""))?.state).toBe("cancelled");
    await expect(
      adminJobs.actOnJob(db, { queue: "test-export", id: waiting ?? "", action: "cancel" }, admin.userId),
    ).rejects.toThrow("Only a waiting or running job can be cancelled");

    const audit = await db
      .selectFrom("auditLog")
      .select(["action", "subjectId", "actorUserId"])
      .where("subjectType", "=", "job_queue")
      .execute();
    expect(audit.map((a) => `${a.action} ${a.subjectId}`).sort()).toEqual(
      [`admin.job.cancelled ${waiting}`, `admin.job.retried ${failing}`].sort(),
    );
  });
});
