import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort } from "node:worker_threads";
import { type AsciiPart, analyzeAsciiParts, analyzeModel } from "../analyze.ts";
import { QuoteError } from "../errors.ts";
import { parseAsciiRange } from "./ascii-ranges.ts";
import { analyzeFile, zlibInflateRaw } from "./index.ts";
import { partBuffers, type WorkerReply, type WorkerTask } from "./tasks.ts";

async function run(task: WorkerTask): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  switch (task.kind) {
    case "bytes": {
      const bytes = new Uint8Array(task.buffer, task.byteOffset, task.byteLength);
      return { value: analyzeModel(bytes, { ...task.options, inflateRaw: zlibInflateRaw }), transfer: [] };
    }
    case "file":
      return { value: await analyzeFile(task.path, task.options), transfer: [] };
    case "ascii-range": {
      const part: AsciiPart = await parseAsciiRange(task.source, task);
      // moved, not copied (the ids are a view of a longer buffer, which travels with them)
      return { value: part, transfer: partBuffers(part) };
    }
    case "ascii-parts":
      return { value: analyzeAsciiParts(task.parts, task.options), transfer: [] };
  }
}

/**
 * A full collection of this worker's (small) heap. A large analysis drops tens of MB of typed arrays
 * (weld tables, edge lists, the buffers moved in from other threads) that V8 frees only when this
 * isolate next collects, which a worker with a small heap seldom does: they piled up over successive
 * analyses to +150 MB of resident memory (pnpm bench:quote, full-pool). The pool's workers hold no other
 * state, so the collection takes a few milliseconds.
 */
const collect: (() => void) | undefined = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/** Analyses of at least this many triangles are followed by a collection (see `collect`). */
const COLLECT_AFTER_TRIANGLES = 100_000;

function large(value: unknown): boolean {
  const t = (value as { triangles?: unknown } | null)?.triangles;
  return typeof t === "number" && t >= COLLECT_AFTER_TRIANGLES;
}

parentPort?.on("message", (msg: { id: number; task: WorkerTask }) => {
  run(msg.task).then(
    ({ value, transfer }) => {
      parentPort?.postMessage({ id: msg.id, ok: true, value } satisfies WorkerReply, transfer);
      if (large(value)) collect?.();
    },
    (e: unknown) => {
      const error =
        e instanceof QuoteError
          ? { code: e.code, message: e.message }
          : { code: "WORKER_FAILED", message: e instanceof Error ? e.message : String(e) };
      parentPort?.postMessage({ id: msg.id, ok: false, error } satisfies WorkerReply);
    },
  );
});
