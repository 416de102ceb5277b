import { createHash } from "node:crypto";
import { type Database, newId } from "@ktizo/db";
import type { Clock, StorageService } from "@ktizo/services";
import type { SlicerInfo } from "./detect.ts";
import { type Mesh, parseMesh } from "./mesh.ts";
import { profileForPrinter } from "./printer-profile.ts";
import type { SandboxLimits } from "./sandbox.ts";
import { slicerSettingsSchema } from "./settings.ts";
import { prepareSlice, type SliceOutcome, sliceMesh } from "./slice.ts";

/** A slice still "running" after this long was abandoned (the slicer's own timeout is 2 minutes). */
export const STALE_AFTER_MS = 10 * 60 * 1000;

export interface SliceDeps {
  db: Database;
  storage: Pick<StorageService, "get">;
  clock: Clock;
  slicer: SlicerInfo;
  limits?: Partial<SandboxLimits>;
  /** How long a claim may run before another worker takes it over (default STALE_AFTER_MS). */
  staleAfterMs?: number;
}

export interface UploadSliceReport {
  sliced: number;
  cached: number;
  failed: number;
  /** Printers another worker already claimed for this model and profile. */
  skipped: number;
}

/** Printers that can slice: every FDM and resin printer of a listed shop that is not offline. */
async function slicingPrinters(db: Database) {
  return db
    .selectFrom("printer as p")
    .innerJoin("shopSettings as s", "s.organizationId", "p.organizationId")
    .select([
      "p.id",
      "p.organizationId",
      "p.technology",
      "p.buildWidthMm",
      "p.buildDepthMm",
      "p.buildHeightMm",
      "p.nozzleMm",
      "p.layerHeightsMm",
      "p.slicerSettings",
      "p.slicerProfileVersion",
    ])
    .where("s.listed", "=", true)
    .where("p.technology", "in", ["fdm", "resin"])
    .where("p.status", "<>", "offline")
    .orderBy("p.id")
    .execute();
}

/**
 * Slices one uploaded model for each listed printer profile that could print it and stores one row per
 * (model, printer, profile, slicer version). A row is claimed before slicing (insert … on conflict do
 * nothing, or taking over a row abandoned for `staleAfterMs`), so any number of workers can run this at
 * once; a finished row with the same mesh hash, profile hash and slicer version is copied instead of
 * slicing again.
 */
export async function sliceUpload(deps: SliceDeps, uploadId: string): Promise<UploadSliceReport> {
  const report: UploadSliceReport = { sliced: 0, cached: 0, failed: 0, skipped: 0 };
  const { db, slicer } = deps;
  if (!slicer.available) return report;
  const upload = await db
    .selectFrom("modelUpload")
    .select(["id", "storageKey", "analysis"])
    .where("id", "=", uploadId)
    .executeTakeFirst();
  if (!upload) return report;
  const file = await deps.storage.get(upload.storageKey);
  if (!file) return report;
  let mesh: Mesh | null = null;
  try {
    const units = (upload.analysis as { units?: string }).units === "inch" ? "inch" : "millimeter";
    mesh = parseMesh(file.bytes, { units });
  } catch {
    mesh = null; // stored as "unreadable" per printer below
  }
  const fileHash = createHash("sha256").update(file.bytes).digest("hex");

  for (const printer of await slicingPrinters(db)) {
    let profile: ReturnType<typeof profileForPrinter>;
    try {
      profile = profileForPrinter({
        ...printer,
        slicerSettings: slicerSettingsSchema.parse(printer.slicerSettings),
      });
    } catch {
      continue; // settings that no longer validate: this printer's quotes stay estimated
    }
    if (!profile) continue;
    const prepared = mesh ? prepareSlice(mesh, profile) : null;
    const key = {
      uploadId,
      printerId: printer.id,
      organizationId: printer.organizationId,
      meshHash: prepared?.meshHash ?? fileHash,
      profileHash: prepared?.profileHash ?? "",
      profileVersion: profile.version,
      slicerName: slicer.name,
      slicerVersion: slicer.version,
    };
    const now = deps.clock.now();
    const claimed =
      (await db
        .insertInto("modelSlice")
        .values({ id: newId("slc"), ...key, status: "running", startedAt: now })
        .onConflict((oc) => oc.columns(["uploadId", "printerId", "profileHash", "slicerVersion"]).doNothing())
        .returning("id")
        .executeTakeFirst()) ??
      // A row left "running" by a worker that died long ago (well past the slicer's timeout) is taken over.
      (await db
        .updateTable("modelSlice")
        .set({ startedAt: now })
        .where("uploadId", "=", key.uploadId)
        .where("printerId", "=", key.printerId)
        .where("profileHash", "=", key.profileHash)
        .where("slicerVersion", "=", key.slicerVersion)
        .where("status", "=", "running")
        .where("startedAt", "<", new Date(now.getTime() - (deps.staleAfterMs ?? STALE_AFTER_MS)))
        .returning("id")
        .executeTakeFirst());
    if (!claimed) {
      report.skipped++;
      continue;
    }
    const finish = (values: Record<string, unknown>) =>
      db
        .updateTable("modelSlice")
        .set({ ...values, finishedAt: deps.clock.now() })
        .where("id", "=", claimed.id)
        .where("status", "=", "running")
        .execute();
    if (!mesh) {
      await finish({ status: "failed", errorClass: "unreadable" });
      report.failed++;
      continue;
    }
    const earlier = await db
      .selectFrom("modelSlice")
      .selectAll()
      .where("meshHash", "=", key.meshHash)
      .where("profileHash", "=", key.profileHash)
      .where("slicerVersion", "=", key.slicerVersion)
      .where("status", "in", ["sliced", "failed"])
      .where("id", "<>", claimed.id)
      .orderBy("finishedAt", "desc")
      .limit(1)
      .executeTakeFirst();
    if (earlier) {
      await finish({
        status: earlier.status,
        exitCode: earlier.exitCode,
        errorClass: earlier.errorClass,
        printSeconds: earlier.printSeconds,
        filamentMm: earlier.filamentMm,
        filamentCm3: earlier.filamentCm3,
        filamentG: earlier.filamentG,
        layers: earlier.layers,
        perRole: JSON.stringify(earlier.perRole),
        wallMs: 0,
        peakMemoryBytes: 0,
        cached: true,
      });
      report.cached++;
      continue;
    }
    let outcome: SliceOutcome;
    try {
      outcome = await sliceMesh(mesh, profile, slicer, deps.limits);
    } catch {
      await finish({ status: "failed", errorClass: "failed" });
      report.failed++;
      continue;
    }
    const f = outcome.figures;
    await finish({
      status: f ? "sliced" : "failed",
      exitCode: outcome.exitCode,
      errorClass: outcome.errorClass,
      printSeconds: f ? Math.round(f.printSeconds) : null,
      filamentMm: f?.filamentMm ?? null,
      filamentCm3: f?.filamentCm3 ?? null,
      filamentG: f?.filamentG ?? null,
      layers: f?.layers ?? null,
      perRole: JSON.stringify(f?.perRole ?? {}),
      wallMs: outcome.wallMs,
      peakMemoryBytes: outcome.peakMemoryBytes,
    });
    if (f) report.sliced++;
    else report.failed++;
  }
  return report;
}

/**
 * Takes the oldest upload (of the last day) whose slicing was not yet sent and marks it, conditionally,
 * so two workers never take the same one. An upload taken by a worker that died (SIGKILL, a lost
 * machine) is taken again once its claim is STALE_AFTER_MS old and its slicing never finished: a slice
 * still "running" that long, or no slice row at all. Null when none is waiting.
 */
export async function claimNextUpload(
  db: Database,
  now: Date,
  staleAfterMs = STALE_AFTER_MS,
): Promise<string | null> {
  const since = new Date(now.getTime() - 24 * 3600 * 1000);
  const stale = new Date(now.getTime() - staleAfterMs);
  const row = await db
    .updateTable("modelUpload")
    .set({ sliceQueuedAt: now })
    .where(
      "id",
      "=",
      db
        .selectFrom("modelUpload as u")
        .select("u.id")
        .where("u.createdAt", ">", since)
        .where((eb) =>
          eb.or([
            eb("u.sliceQueuedAt", "is", null),
            eb.and([
              eb("u.sliceQueuedAt", "<", stale),
              eb.or([
                eb.exists(
                  eb
                    .selectFrom("modelSlice as s")
                    .select("s.id")
                    .whereRef("s.uploadId", "=", "u.id")
                    .where("s.status", "=", "running")
                    .where("s.startedAt", "<", stale),
                ),
                eb.not(
                  eb.exists(
                    eb.selectFrom("modelSlice as s").select("s.id").whereRef("s.uploadId", "=", "u.id"),
                  ),
                ),
              ]),
            ]),
          ]),
        )
        .orderBy("u.createdAt")
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    // Conditional: of two workers that saw the same upload, only the first moves its claim.
    .where((eb) => eb.or([eb("sliceQueuedAt", "is", null), eb("sliceQueuedAt", "<", stale)]))
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The slicing worker's loop for one scheduled run: slices waiting uploads one by one, and between them
 * looks for new ones every `pollMs`, until `budgetMs` has passed (the next run takes over).
 */
export async function sliceWaitingUploads(
  deps: SliceDeps,
  options: { budgetMs: number; pollMs: number; signal?: AbortSignal | undefined },
): Promise<number> {
  if (!deps.slicer.available) return 0;
  const started = Date.now();
  let done = 0;
  while (Date.now() - started < options.budgetMs && !options.signal?.aborted) {
    const uploadId = await claimNextUpload(deps.db, deps.clock.now(), deps.staleAfterMs);
    if (uploadId) {
      await sliceUpload(deps, uploadId);
      done++;
    } else {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    }
  }
  return done;
}
