import { createHash, type Hash } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort } from "node:worker_threads";
import { type AsciiPart, analyzeAsciiParts, analyzeModel, BinaryStlAnalysis } from "../analyze.ts";
import { QuoteError } from "../errors.ts";
import { parseAsciiRange } from "./ascii-ranges.ts";
import { analyzeFile, zlibInflateRaw } from "./index.ts";
import {
  partBuffers,
  type StreamMessage,
  type StreamReply,
  type WorkerReply,
  type WorkerTask,
} from "./tasks.ts";
import { trace, traceCollections, tracing } from "./trace.ts";

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
    case "ascii-parts": {
      const value = analyzeAsciiParts(task.parts, task.options);
      keepShapes(task.parts);
      return { value, transfer: [] };
    }
  }
}

/**
 * The last split analysis's ranges as this worker received them, their arrays swapped for empty ones
 * of the same types (which the collection after the task frees). Kept for V8: while an object of a
 * shape lives, its hidden class and the optimized code built on it do too; the full collection after
 * each large task otherwise dropped them, and every finish ran its loops in the interpreter and
 * recompiled them (see `previous` in ascii-ranges.ts, and pool-jit.test.ts).
 */
const kept: { parts: AsciiPart[] } = { parts: [] };
const NO_I32 = new Int32Array(0);
function keepShapes(parts: AsciiPart[]): void {
  for (const { weld, edges } of parts) {
    if (weld) {
      weld.ids = NO_I32;
      if (weld.verts) weld.verts = new Float32Array(0);
      if (weld.table) weld.table = new Uint32Array(0);
    }
    if (edges) {
      edges.shell = NO_I32;
      edges.small = new Float64Array(0);
    }
  }
  kept.parts = parts;
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

function errorOf(e: unknown): { code: string; message: string } {
  return e instanceof QuoteError
    ? { code: e.code, message: e.message }
    : { code: "WORKER_FAILED", message: e instanceof Error ? e.message : String(e) };
}

/**
 * The binary STLs being analysed while they arrive, by stream id, with the hash of their bytes (done
 * here, where the bytes are read anyway, rather than on the web server's thread).
 */
const streams = new Map<number, { analysis: BinaryStlAnalysis; hash: Hash }>();

function onStream(msg: StreamMessage): void {
  const reply = (r: StreamReply) => parentPort?.postMessage(r);
  switch (msg.op) {
    case "open":
      streams.set(msg.sid, { analysis: new BinaryStlAnalysis(msg.options), hash: createHash("sha256") });
      return;
    case "chunk":
      // the piece was moved here; it is read at once (nothing of it is kept) and moved back, to be refilled
      try {
        const stream = streams.get(msg.sid);
        if (stream) {
          const bytes = new Uint8Array(msg.buffer, 0, msg.byteLength);
          stream.hash.update(bytes);
          stream.analysis.push(bytes);
        }
      } catch (e) {
        // (out of memory for its arrays) the stream ends here; later pieces are only acknowledged
        streams.delete(msg.sid);
        reply({ sid: msg.sid, ok: false, error: errorOf(e) });
      }
      parentPort?.postMessage(
        { sid: msg.sid, ack: msg.byteLength, buffer: msg.buffer } satisfies StreamReply,
        [msg.buffer],
      );
      return;
    case "digest": {
      const stream = streams.get(msg.sid);
      if (stream) reply({ sid: msg.sid, digest: stream.hash.digest("hex") });
      return;
    }
    case "abort":
      streams.delete(msg.sid);
      return;
    case "end": {
      const stream = streams.get(msg.sid);
      streams.delete(msg.sid);
      if (!stream) return;
      try {
        const value = stream.analysis.result();
        reply({ sid: msg.sid, ok: true, value });
        if (large(value)) collect?.();
      } catch (e) {
        reply({ sid: msg.sid, ok: false, error: errorOf(e) });
      }
    }
  }
}

traceCollections();

parentPort?.on("message", (msg: { id: number; task: WorkerTask } | StreamMessage) => {
  if ("sid" in msg) return onStream(msg);
  if (tracing) trace("task", { id: msg.id, kind: msg.task.kind });
  run(msg.task).then(
    ({ value, transfer }) => {
      if (tracing) trace("done", { id: msg.id });
      parentPort?.postMessage({ id: msg.id, ok: true, value } satisfies WorkerReply, transfer);
      if (large(value)) {
        if (tracing) trace("collect", { id: msg.id });
        collect?.();
        if (tracing) trace("collected", { id: msg.id });
      }
    },
    (e: unknown) => {
      parentPort?.postMessage({ id: msg.id, ok: false, error: errorOf(e) } satisfies WorkerReply);
    },
  );
});
