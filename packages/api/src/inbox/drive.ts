import { type Database, newId } from "@ktizo/db";
import type { Clock, GoogleAccountRef, GoogleService, StorageService } from "@ktizo/services";
import { GoogleNotConnectedError } from "@ktizo/services";
import { z } from "zod";
import { DomainError, idSchema, notFound, preconditionFailed } from "../kernel/index.ts";
import { google } from "./google-errors.ts";

export const jobDriveInput = z.object({ jobId: idSchema }).strict();

/** Bounds of one sync: job files uploaded per run (and their size), files listed back. */
const UPLOADS_PER_SYNC = 20;
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const LISTED_FILES = 200;

export interface DriveFolderView {
  folder: {
    name: string;
    webLink: string | null;
    lastSyncedAt: Date | null;
    /** False once the Google account holding it disconnected: nothing is synced any more. */
    syncing: boolean;
    /** The signed-in member's own Google account holds it (only they can sync it). */
    mine: boolean;
  } | null;
  files: Array<{
    id: string;
    name: string;
    mimeType: string;
    sizeBytes: number | null;
    origin: "ktizo" | "drive";
    webLink: string | null;
    modifiedAt: Date | null;
  }>;
}

async function jobOf(db: Database, organizationId: string, jobId: string) {
  const job = await db
    .selectFrom("job as j")
    .leftJoin("customer as c", "c.id", "j.customerId")
    .select(["j.id", "j.number", "c.name as customerName"])
    .where("j.id", "=", jobId)
    .where("j.organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  return job;
}

export async function getJobDriveFolder(
  db: Database,
  ref: GoogleAccountRef,
  jobId: string,
): Promise<DriveFolderView> {
  await jobOf(db, ref.organizationId, jobId);
  const folder = await db
    .selectFrom("driveFolder as f")
    .leftJoin("googleAccount as a", "a.id", "f.accountId")
    .select(["f.id", "f.name", "f.webLink", "f.lastSyncedAt", "f.accountId", "a.userId"])
    .where("f.jobId", "=", jobId)
    .where("f.organizationId", "=", ref.organizationId)
    .executeTakeFirst();
  if (!folder) return { folder: null, files: [] };
  const files = await db
    .selectFrom("driveFile")
    .select(["id", "name", "mimeType", "sizeBytes", "origin", "webLink", "modifiedAt"])
    .where("folderId", "=", folder.id)
    .orderBy("createdAt")
    .orderBy("name")
    .limit(LISTED_FILES)
    .execute();
  return {
    folder: {
      name: folder.name,
      webLink: folder.webLink,
      lastSyncedAt: folder.lastSyncedAt,
      syncing: folder.accountId !== null,
      mine: folder.userId === ref.userId,
    },
    files,
  };
}

/** "JOB-123 · Customer": the folder's name in Drive. */
export function driveFolderName(job: { number: number; customerName: string | null }): string {
  return `JOB-${job.number}${job.customerName ? ` · ${job.customerName}` : ""}`.slice(0, 200);
}

/** Creates the job's folder in the member's Drive (once: a second request finds it), then syncs it. */
export async function createJobDriveFolder(
  db: Database,
  googleService: GoogleService,
  storage: StorageService,
  ref: GoogleAccountRef,
  jobId: string,
  now: Date,
): Promise<DriveFolderView> {
  const job = await jobOf(db, ref.organizationId, jobId);
  const account = await db
    .selectFrom("googleAccount")
    .select("id")
    .where("organizationId", "=", ref.organizationId)
    .where("userId", "=", ref.userId)
    .executeTakeFirst();
  if (!account) throw preconditionFailed("Connect your Google account first (Workspace → Inbox).");
  const existing = await db
    .selectFrom("driveFolder")
    .select("id")
    .where("jobId", "=", jobId)
    .executeTakeFirst();
  if (!existing) {
    const name = driveFolderName(job);
    const created = await google(() => googleService.createFolder(ref, { name }));
    await db
      .insertInto("driveFolder")
      .values({
        id: newId("drv"),
        organizationId: ref.organizationId,
        jobId,
        accountId: account.id,
        folderId: created.id,
        name,
        webLink: created.webLink,
        createdAt: now,
      })
      // Two members creating it at once: the first folder wins (the second stays empty in its Drive).
      .onConflict((oc) => oc.column("jobId").doNothing())
      .execute();
  }
  await syncJobDriveFolder(db, googleService, storage, jobId, now);
  return getJobDriveFolder(db, ref, jobId);
}

/**
 * Uploads the job's files not yet in its folder and lists back what is in the folder (files added in
 * Drive appear on the job; files removed there disappear). Bounded per run. A folder whose account
 * disconnected is not synced.
 */
export async function syncJobDriveFolder(
  db: Database,
  googleService: GoogleService,
  storage: StorageService,
  jobId: string,
  now: Date,
): Promise<{ uploaded: number; listed: number } | null> {
  const folder = await db
    .selectFrom("driveFolder as f")
    .innerJoin("googleAccount as a", "a.id", "f.accountId")
    .select(["f.id", "f.folderId", "f.organizationId", "a.organizationId as accountOrg", "a.userId"])
    .where("f.jobId", "=", jobId)
    .executeTakeFirst();
  if (!folder) return null;
  const ref = { organizationId: folder.accountOrg, userId: folder.userId };
  const pending = await db
    .selectFrom("jobFile as jf")
    .select(["jf.id", "jf.fileName", "jf.contentType", "jf.storageKey", "jf.sizeBytes"])
    .where("jf.jobId", "=", jobId)
    .where("jf.sizeBytes", "<=", MAX_UPLOAD_BYTES)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("driveFile as df")
            .select("df.id")
            .where("df.folderId", "=", folder.id)
            .whereRef("df.jobFileId", "=", "jf.id"),
        ),
      ),
    )
    .orderBy("jf.createdAt")
    .limit(UPLOADS_PER_SYNC)
    .execute();
  let uploaded = 0;
  for (const file of pending) {
    const stored = await storage.get(file.storageKey);
    if (!stored) continue;
    const sent = await google(() =>
      googleService.uploadFile(ref, {
        folderId: folder.folderId,
        name: file.fileName,
        mimeType: file.contentType || "application/octet-stream",
        bytes: stored.bytes,
      }),
    );
    await db
      .insertInto("driveFile")
      .values({
        id: newId("dfl"),
        organizationId: folder.organizationId,
        folderId: folder.id,
        driveFileId: sent.id,
        name: file.fileName,
        mimeType: file.contentType || "application/octet-stream",
        sizeBytes: file.sizeBytes,
        origin: "ktizo",
        jobFileId: file.id,
        webLink: sent.webLink,
        modifiedAt: now,
        createdAt: now,
      })
      .onConflict((oc) => oc.columns(["folderId", "driveFileId"]).doNothing())
      .execute();
    uploaded += 1;
  }
  const listed = await google(() => googleService.listFolder(ref, folder.folderId, { max: LISTED_FILES }));
  const known = new Set(
    (await db.selectFrom("driveFile").select("driveFileId").where("folderId", "=", folder.id).execute()).map(
      (r) => r.driveFileId,
    ),
  );
  for (const file of listed) {
    if (known.has(file.id)) continue;
    await db
      .insertInto("driveFile")
      .values({
        id: newId("dfl"),
        organizationId: folder.organizationId,
        folderId: folder.id,
        driveFileId: file.id,
        name: file.name,
        mimeType: file.mimeType,
        sizeBytes: file.size,
        origin: "drive",
        jobFileId: null,
        webLink: file.webLink,
        modifiedAt: file.modifiedAt ? new Date(file.modifiedAt) : null,
        createdAt: now,
      })
      .onConflict((oc) => oc.columns(["folderId", "driveFileId"]).doNothing())
      .execute();
  }
  const present = listed.map((f) => f.id);
  if (listed.length < LISTED_FILES) {
    let removed = db.deleteFrom("driveFile").where("folderId", "=", folder.id);
    if (present.length > 0) removed = removed.where("driveFileId", "not in", present);
    await removed.execute();
  }
  await db.updateTable("driveFolder").set({ lastSyncedAt: now }).where("id", "=", folder.id).execute();
  return { uploaded, listed: listed.length };
}

/** Folders synced per run of the background job, longest-waiting first. */
const FOLDERS_PER_RUN = 50;

/** The pg-boss job: job files up to Drive and Drive's files back to the jobs, every fifteen minutes. */
export const driveSyncJob = {
  name: "drive-sync",
  schema: z.object({}),
  cron: "*/15 * * * *",
  run: async (
    _data: Record<string, never>,
    deps: { db: Database; services: { google: GoogleService; storage: StorageService }; clock: Clock },
  ) => {
    const folders = await deps.db
      .selectFrom("driveFolder")
      .select("jobId")
      .where("accountId", "is not", null)
      .orderBy("lastSyncedAt", (ob) => ob.asc().nullsFirst())
      .limit(FOLDERS_PER_RUN)
      .execute();
    for (const folder of folders) {
      try {
        await syncJobDriveFolder(
          deps.db,
          deps.services.google,
          deps.services.storage,
          folder.jobId,
          deps.clock.now(),
        );
      } catch (error) {
        // A revoked grant stops that folder's sync; the others go on.
        if (error instanceof GoogleNotConnectedError) continue;
        if (error instanceof DomainError) continue;
        throw error;
      }
    }
  },
};
