import type { ModelSliceErrorClass } from "@ktizo/db";
import type { SandboxResult } from "./sandbox.ts";

/**
 * Why a slice did not produce figures (stored in model_slice.error_class). The quote then keeps its
 * estimate and the shop can price by hand.
 */
export type SliceErrorClass = ModelSliceErrorClass;

/** What the customer reads beside the estimate, per class. */
export const SLICE_ERROR_WORDING: Record<SliceErrorClass, string> = {
  unreadable: "We could not read the shape of this model, so the price is an estimate.",
  no_layers:
    "The model is too thin or too small to print as uploaded (was it drawn in inches or metres?), so the price is an estimate.",
  nothing_on_bed:
    "No part of the model sits flat on the print bed, so the shop has to orient or support it; the price is an estimate.",
  does_not_fit: "The model is larger than this printer's build volume, so the price is an estimate.",
  timeout: "The model is too complex to check automatically in time, so the price is an estimate.",
  out_of_memory: "The model is too complex to check automatically, so the price is an estimate.",
  failed: "The model could not be checked automatically, so the price is an estimate.",
};

const PATTERNS: [RegExp, SliceErrorClass][] = [
  [
    /bad_alloc|Cannot allocate memory|failed to map segment|pthread_create|Resource temporarily unavailable/i,
    "out_of_memory",
  ],
  [/could not fit on the bed|outside of the print volume/i, "does_not_fit"],
  [/No layers were detected|The print is empty/i, "no_layers"],
  [/no extrusions in the first layer/i, "nothing_on_bed"],
  [/Loading of a model file failed|Unknown file format|Failed loading/i, "unreadable"],
];

/** Reads a failed run: the timeout first, then PrusaSlicer's own messages, then how it died. */
export function classifyFailure(
  run: Pick<SandboxResult, "timedOut" | "stderr" | "stdout" | "signal">,
): SliceErrorClass {
  if (run.timedOut) return "timeout";
  const text = `${run.stderr}\n${run.stdout}`;
  for (const [pattern, errorClass] of PATTERNS) if (pattern.test(text)) return errorClass;
  // Killed by the kernel for memory (SIGKILL without our timeout) or a crash while allocating.
  if (run.signal === "SIGKILL" || run.signal === "SIGSEGV") return "out_of_memory";
  return "failed";
}
