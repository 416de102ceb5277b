export type { default as PgBoss } from "pg-boss";
export { defineJob, type JobDefinition } from "./definitions.ts";
export { queueCounts, startQueue } from "./queue.ts";
export { enqueue, registerJobs } from "./worker.ts";
