export type { default as PgBoss } from "pg-boss";
export { defineJob, type JobDefinition } from "./definitions.ts";
export { queueCounts, queueDepths, startQueue } from "./queue.ts";
export { enqueue, type JobObserver, registerJobs } from "./worker.ts";
