import type { Database } from "@ktizo/db";
import type { Clock, Services } from "@ktizo/services";
import { z } from "zod";
import type { SlicerInfo } from "./detect.ts";
import { sliceWaitingUploads } from "./worker.ts";

/** What the slicing job receives: the runtime's JobDeps plus the slicer found at start-up. */
export interface SliceJobDeps {
  db: Database;
  services: Pick<Services, "storage">;
  clock: Clock;
  slicer: SlicerInfo;
  /** Aborted when the worker process stops: the run ends after the slice in progress. */
  stopping?: AbortSignal;
  /** How long a dead worker's claim is kept before another worker slices the upload (KTIZO_SLICE_STALE_AFTER_MS). */
  sliceStaleAfterMs?: number;
}

const noData = z.object({});

/**
 * Every minute, on any number of workers: slice the uploads waiting for it. Each run keeps looking for
 * new uploads every 2 s for 50 s, so a model is sliced seconds after upload, not at the next minute.
 * The job carries no data: uploads are claimed from the database (conditionally, one worker each).
 */
export const sliceUploadsJob = {
  name: "slice-uploads",
  schema: noData,
  cron: "* * * * *",
  retryLimit: 0,
  run: async (_data: z.infer<typeof noData>, deps: SliceJobDeps): Promise<void> => {
    await sliceWaitingUploads(
      {
        db: deps.db,
        storage: deps.services.storage,
        clock: deps.clock,
        slicer: deps.slicer,
        ...(deps.sliceStaleAfterMs ? { staleAfterMs: deps.sliceStaleAfterMs } : {}),
      },
      { budgetMs: 50_000, pollMs: 2_000, signal: deps.stopping },
    );
  },
};
