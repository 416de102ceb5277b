import { setFlagsFromString } from "node:v8";

/**
 * How far the web process's heap may grow past what a full collection kept before V8 marks it all again,
 * in percent of that: 100, twice the live heap (~100 MB live → ~200 MB at most between collections).
 *
 * V8 picks the factor from how fast the program fills the old generation, and uploads fill it slowly:
 * their bytes live outside the heap, in buffers. It chose 1.1–1.3×, less room than its young generation
 * takes, so each full collection started the next one at once: with ten uploads at once the web process
 * marked its whole heap every 0.3–1 s. `pnpm bench:upload`, ten uploads at once, p95 against the analysis
 * alone: 10 MB 1.41× → 1.14–1.20×, 50 MB 1.52× → 1.21–1.28× (docs/operations.md, session 10).
 */
export const HEAP_GROWING_PERCENT = 100;

/** Sets `HEAP_GROWING_PERCENT` for this process (the web host calls it; V8 reads it at each collection). */
export function tuneServerHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
