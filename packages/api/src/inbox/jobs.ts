import { driveSyncJob } from "./drive.ts";
import { gmailSyncJob } from "./sync.ts";

export const INBOX_JOBS = [gmailSyncJob, driveSyncJob] as const;
