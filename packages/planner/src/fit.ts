import type { PlannerJob, PlannerPrinter } from "./types.ts";

const sorted = (v: readonly number[]) => [...v].sort((a, b) => a - b);

/** Does the part fit the build volume in some axis-aligned orientation? */
export function fitsBuildVolume(sizeMm: readonly number[], buildMm: readonly number[]): boolean {
  const part = sorted(sizeMm);
  const build = sorted(buildMm);
  return part.every((v, i) => v <= build[i]!);
}

/**
 * The printers that could make the job, or why none can, in the words the schedule shows.
 * `onlyPrinter` comes from an "on this printer" constraint.
 */
export function capablePrinters(
  job: PlannerJob,
  printers: readonly PlannerPrinter[],
  onlyPrinter?: string,
): { printers: PlannerPrinter[]; reason: string | null } {
  const pool = onlyPrinter ? printers.filter((p) => p.id === onlyPrinter) : printers;
  const sameTech = pool.filter((p) => p.technology === job.technology);
  if (sameTech.length === 0) {
    return {
      printers: [],
      reason: `no ${job.technology.toUpperCase()} printer${onlyPrinter ? " (as asked)" : ""}`,
    };
  }
  const fitting = sameTech.filter((p) => fitsBuildVolume(job.sizeMm, p.buildMm));
  if (fitting.length === 0) {
    return {
      printers: [],
      reason: `too large for every ${job.technology.toUpperCase()} printer (${job.sizeMm.map((v) => Math.round(v)).join(" × ")} mm)`,
    };
  }
  const withMaterial = job.materialId
    ? fitting.filter((p) => p.materialIds.includes(job.materialId!))
    : fitting;
  if (withMaterial.length === 0) return { printers: [], reason: "no printer that fits it runs its material" };
  const online = withMaterial.filter((p) => p.online);
  if (online.length === 0) return { printers: [], reason: "every printer that can make it is offline" };
  return { printers: online, reason: null };
}
