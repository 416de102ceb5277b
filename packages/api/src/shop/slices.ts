import { SLICE_ERROR_WORDING } from "@ktizo/slicer/classify";
import type { Executor } from "../kernel/index.ts";
import type { SlicedFigures } from "./quote.ts";

/** The latest slice per printer for an upload, with the printer's current profile version only. */
export type UploadSlices = Map<string, SlicedFigures | { failed: string }>;

export async function uploadSlices(db: Executor, uploadId: string): Promise<UploadSlices> {
  const rows = await db
    .selectFrom("modelSlice as m")
    .innerJoin("printer as p", "p.id", "m.printerId")
    .select(["m.printerId", "m.status", "m.errorClass", "m.printSeconds", "m.filamentCm3", "m.layers"])
    .where("m.uploadId", "=", uploadId)
    .whereRef("m.profileVersion", "=", "p.slicerProfileVersion")
    .where("m.status", "in", ["sliced", "failed"])
    .orderBy("m.finishedAt", "desc")
    .execute();
  const slices: UploadSlices = new Map();
  for (const r of rows) {
    if (slices.has(r.printerId)) continue;
    if (r.status === "sliced" && r.printSeconds !== null && r.filamentCm3 !== null && r.layers !== null) {
      slices.set(r.printerId, { printSeconds: r.printSeconds, filamentCm3: r.filamentCm3, layers: r.layers });
    } else if (r.errorClass) {
      slices.set(r.printerId, { failed: SLICE_ERROR_WORDING[r.errorClass] });
    }
  }
  return slices;
}
