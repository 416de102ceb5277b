export { type AuditEntry, recordAudit } from "./audit.ts";
export {
  createDb,
  type Database,
  type DatabaseKind,
  type DbHandle,
  openPglite,
  openPostgres,
} from "./connect.ts";
export { newId } from "./ids.ts";
export { withAdvisoryLock } from "./locks.ts";
export { migrateToLatest } from "./migrate.ts";
export { migrations } from "./migrations/index.ts";
export * from "./schema/index.ts";
export { type DbSettings, dbSettingsSchema } from "./settings.ts";
