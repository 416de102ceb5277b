export { driveSyncJob, syncJobDriveFolder } from "./drive.ts";
/** The inbox's background work: linked Gmail threads and job Drive folders kept in sync. */
export { INBOX_JOBS } from "./jobs.ts";
export { gmailSyncJob, syncGmail, syncGmailAccount } from "./sync.ts";
