import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import {
  type AsciiPart,
  analyzeModel,
  analyzeStream,
  FORMAT_HEAD_BYTES,
  MAX_MODEL_BYTES,
  readsAsBinaryStl,
  resolveOptions,
} from "../analyze.ts";
import { fail, QuoteError, type QuoteErrorCode } from "../errors.ts";
import { binaryStlExpectedSize, startsWithSolid } from "../formats/stl.ts";
import { isZip } from "../formats/zip.ts";
import type { AnalyzeOptions, ModelAnalysis } from "../types.ts";
import { planAsciiCuts, planAsciiRanges, SPLIT_MIN_BYTES } from "./ascii-ranges.ts";
import { zlibInflateRaw } from "./inflate.ts";
import {
  type AsciiRangeSource,
  partBuffers,
  type StreamMessage,
  type StreamReply,
  type WorkerOptions,
  type WorkerReply,
  type WorkerTask,
} from "./tasks.ts";
import { trace, tracing } from "./trace.ts";

export { zlibInflateRaw };

export interface AnalysisPool {
  /**
   * Analyses in a worker thread. The buffer is transferred (the caller's view becomes empty); a large
   * ASCII STL is split across the workers as in `analyzeFile`.
   */
  analyze(bytes: Uint8Array, options?: WorkerOptions): Promise<ModelAnalysis>;
  /**
   * Analyses a file on disk in the workers: a large ASCII STL is split at facet boundaries and parsed
   * by all workers at once; anything else is read and analysed by one worker (see `analyzeFile`).
   */
  analyzeFile(path: string, options?: WorkerOptions): Promise<ModelAnalysis>;
  /**
   * A model analysed while it arrives (an upload): `write` its pieces in order, then `end` with the path
   * of the complete file (the same bytes). A binary STL is read by a worker piece by piece as it comes,
   * so `end` waits only for what follows the last piece (the topology); anything else, or a start that
   * the whole file's size shows was not binary STL after all, is analysed from the file at `end`, as
   * `analyzeFile` would. Either way the result and the errors are `analyzeFile`'s.
   */
  stream(options?: WorkerOptions): AnalysisStream;
  /** Tasks waiting or running, and streams open. */
  readonly pending: number;
  readonly size: number;
  /**
   * Files parsed in ranges, and those of them redone in one piece because a range did not parse; streams
   * analysed as they arrived (the others were analysed from their file at the end); the stream buffers
   * allocated (each is handed back by the worker with its acknowledgement and used again).
   */
  readonly stats: { splitFiles: number; splitFallbacks: number; streamed: number; streamBuffers: number };
  close(): Promise<void>;
}

export interface AnalysisStream {
  /**
   * Takes a piece (copied at once: the caller may reuse it). The promise waits while the worker is
   * `STREAM_WINDOW` bytes behind, so a slow analysis slows the writer instead of piling up pieces.
   */
  write(chunk: Uint8Array): Promise<void>;
  /**
   * The SHA-256 (hex) of the bytes written, once they all are (no `write` after it); `path` is the
   * complete file. A binary STL's bytes are hashed by the worker that reads them, so the writer's thread
   * only copies them; other files are hashed as they are written; if the worker's stream ended early
   * (a crash, a refusal), the file is hashed.
   */
  digest(path: string): Promise<string>;
  /** The analysis of the file at `path`, whose bytes are those written. */
  end(path: string): Promise<ModelAnalysis>;
  /** Drops the stream (the worker forgets it; an `end` still waiting rejects); harmless once settled. */
  abort(): void;
}

/**
 * Pieces of a stream are gathered into buffers of this size, each moved (not copied) to the worker and
 * moved back with its acknowledgement, to be filled again: a fresh buffer costs its pages' first-touch
 * faults (in the web thread that fills it) and a free in the worker, each time.
 */
const STREAM_BATCH = 1 << 20;
/** Bytes of a stream sent and not yet read by the worker: the most one stream holds in memory. */
export const STREAM_WINDOW = 4 * STREAM_BATCH;
/** Buffers handed back and kept for the next pieces while a stream is open, at least (see `spareLimit`). */
const SPARE_BUFFERS = 8;
/** Bytes enough to tell a binary STL's start from "solid" (after up to 512 blanks) or a ZIP. */
const DECIDE_BYTES = 1024;

export interface PoolOptions {
  /** Worker threads. Default: available cores − 1, at least 1. */
  size?: number;
  /** Tasks allowed to wait for a worker; more are refused with QUEUE_FULL. Default 64. */
  maxQueue?: number;
  /** ASCII STL files from this size are split across the workers. Default SPLIT_MIN_BYTES (8 MB). */
  splitMinBytes?: number;
}

interface Pending {
  id: number;
  task: WorkerTask;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
}

function workerUrl(): { url: URL; workerData?: { tsxApi: string; worker: string } } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { url: new URL("./worker.js", here) };
  // running from TypeScript source (Vitest, tsx): a small .mjs entry registers tsx in the worker thread
  const require = createRequire(here);
  const api = require.resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs");
  return {
    url: new URL("./worker-entry.mjs", here),
    workerData: { tsxApi: pathToFileURL(api).href, worker: new URL("./worker.ts", here).href },
  };
}

/** A fixed pool of worker threads so large analyses never block the event loop of a server. */
export function createAnalysisPool(opts: PoolOptions = {}): AnalysisPool {
  const size = Math.max(1, opts.size ?? Math.max(1, availableParallelism() - 1));
  const maxQueue = opts.maxQueue ?? 64;
  const splitMinBytes = opts.splitMinBytes ?? SPLIT_MIN_BYTES;
  const { url, workerData } = workerUrl();
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const running = new Map<Worker, Pending>();
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;
  const stats = { splitFiles: 0, splitFallbacks: 0, streamed: 0, streamBuffers: 0 };

  /** Open streams by id: the worker each lives on, and where its replies go. */
  const streams = new Map<number, { worker: Worker; reply: (r: StreamReply) => void }>();
  let nextSid = 1;
  /** Stream buffers the workers handed back, for the next pieces (see `STREAM_BATCH`). */
  const spare: ArrayBuffer[] = [];
  /**
   * As many as the open streams can have out at once (each its window and the one it fills), at least
   * SPARE_BUFFERS. Kept buffers are ones the streams already had out, so this holds no more memory than
   * their windows did; with only 8 kept, ten 50 MB uploads at once took a fresh buffer for about every
   * other megabyte (985 of 2050 pieces; its pages faulted in and zeroed on the web thread, freed by a
   * collection later), now only for the first pieces of a burst. None once no stream is open.
   */
  const spareLimit = () =>
    streams.size === 0 ? 0 : Math.max(SPARE_BUFFERS, streams.size * (STREAM_WINDOW / STREAM_BATCH + 1));
  const takeBuffer = (): Uint8Array => {
    const buffer = spare.pop();
    if (buffer) return new Uint8Array(buffer);
    stats.streamBuffers++;
    return new Uint8Array(STREAM_BATCH);
  };
  const giveBack = (buffer: ArrayBuffer | undefined) => {
    if (buffer && spare.length < spareLimit() && buffer.byteLength === STREAM_BATCH) spare.push(buffer);
  };

  const spawn = (): Worker => {
    const w = new Worker(url, { workerData });
    w.unref();
    w.on("message", (msg: WorkerReply | StreamReply) => {
      if ("sid" in msg) {
        streams.get(msg.sid)?.reply(msg);
        if ("ack" in msg) giveBack(msg.buffer);
        // a stream is done: the spare buffers it needed go with it (all of them with the last one)
        if (spare.length > spareLimit()) spare.length = spareLimit();
        return;
      }
      const job = running.get(w);
      running.delete(w);
      if (tracing) trace("reply", { id: msg.id });
      if (job && job.id === msg.id) {
        if (msg.ok) job.resolve(msg.value);
        else job.reject(new QuoteError(msg.error.code as QuoteErrorCode, msg.error.message));
      }
      idle.push(w);
      pump();
    });
    w.on("error", (err) => {
      const job = running.get(w);
      running.delete(w);
      all.splice(all.indexOf(w), 1);
      job?.reject(new QuoteError("WORKER_FAILED", `Analysis worker crashed: ${err.message}`));
      const error = { code: "WORKER_FAILED", message: `Analysis worker crashed: ${err.message}` };
      for (const [sid, s] of streams) if (s.worker === w) s.reply({ sid, ok: false, error });
      if (!closed) pump();
    });
    all.push(w);
    return w;
  };

  const pump = () => {
    while (queue.length > 0 && !closed) {
      // the worker idle longest: one that has just answered may still be collecting its heap (worker.ts),
      // as the last range of a split parse is when the finish is handed out
      let w = idle.shift();
      if (!w) {
        if (all.length >= size) return;
        w = spawn();
      }
      const job = queue.shift()!;
      running.set(w, job);
      w.postMessage({ id: job.id, task: job.task }, job.transfer);
      if (tracing) trace("post", { id: job.id, kind: job.task.kind, worker: w.threadId });
    }
  };

  const submit = <T>(task: WorkerTask, transfer: ArrayBuffer[] = []): Promise<T> => {
    if (closed) return Promise.reject(new QuoteError("POOL_CLOSED", "The analysis pool is closed."));
    if (queue.length >= maxQueue) {
      return Promise.reject(
        new QuoteError("QUEUE_FULL", "Too many models are being analysed; try again shortly."),
      );
    }
    return new Promise<T>((resolve, reject) => {
      queue.push({ id: nextId++, task, transfer, resolve: resolve as (v: unknown) => void, reject });
      pump();
    });
  };

  /**
   * Parses the ranges in parallel and finishes in one worker; if any range fails to parse on its own,
   * the whole model is analysed in one piece, which reports the error (and its byte offset) exactly as
   * a single-threaded parse would, or parses if a solid's name fooled the split.
   */
  const analyzeSplit = async (
    sources: AsciiRangeSource[],
    options: WorkerOptions | undefined,
    whole: () => [WorkerTask, ArrayBuffer[]],
  ) => {
    const { maxTriangles, topology } = resolveOptions(options);
    stats.splitFiles++;
    const settled = await Promise.allSettled(
      sources.map((source, k) =>
        submit<AsciiPart>(
          {
            kind: "ascii-range",
            source,
            continuation: k > 0,
            maxTriangles,
            keepPositions: topology,
          },
          "buffer" in source ? [source.buffer] : [],
        ),
      ),
    );
    if (settled.some((r) => r.status === "rejected")) {
      stats.splitFallbacks++;
      return submit<ModelAnalysis>(...whole());
    }
    const parts = settled.map((r) => (r as PromiseFulfilledResult<AsciiPart>).value);
    return submit<ModelAnalysis>({ kind: "ascii-parts", parts, options }, parts.flatMap(partBuffers));
  };

  /** The worker with the fewest open streams (a new one while the pool has room). */
  const streamWorker = (): Worker => {
    if (all.length < size) {
      const w = spawn();
      idle.push(w);
      return w;
    }
    const open = new Map<Worker, number>(all.map((w) => [w, 0]));
    for (const s of streams.values()) open.set(s.worker, (open.get(s.worker) ?? 0) + 1);
    return [...open].sort((a, b) => a[1] - b[1])[0]![0];
  };

  const analyzeFile = async (path: string, options?: WorkerOptions): Promise<ModelAnalysis> => {
    const opts = resolveOptions(options);
    if (tracing) trace("analyze-file");
    const { size: bytes, head } = await readHead(path, opts.maxBytes);
    if (size > 1 && bytes >= splitMinBytes && isAsciiStl(head, bytes)) {
      const fh = await open(path, "r");
      const cuts = await planAsciiRanges(fh, bytes, size).finally(() => fh.close());
      if (tracing) trace("planned");
      if (cuts) {
        const sources = cuts.slice(0, -1).map((start, k) => ({ path, start, end: cuts[k + 1]! }));
        return analyzeSplit(sources, options, () => [{ kind: "file", path, options }, []]);
      }
    }
    return submit<ModelAnalysis>({ kind: "file", path, options });
  };

  const stream = (options?: WorkerOptions): AnalysisStream => {
    // the file's first bytes: to choose, and to check the choice against the size at the end
    const head = new Uint8Array(FORMAT_HEAD_BYTES);
    let headLen = 0;
    let total = 0;
    let mode: "deciding" | "worker" | "file" | "aborted" = "deciding";
    let sid = 0;
    let worker: Worker | null = null;
    let batch: Uint8Array | null = null;
    let batchLen = 0;
    let inFlight = 0;
    let waiting: (() => void) | null = null;
    let outcome: Promise<ModelAnalysis> | null = null;
    let drop: ((e: Error) => void) | null = null;
    /** The hash of a stream read here (not by a worker): from the first byte once that is decided. */
    let local: Hash | null = null;
    /** Waits for the worker's digest (null: its stream ended early; the file is hashed instead). */
    let digestWaiter: ((digest: string | null) => void) | null = null;
    let digested: Promise<string> | null = null;
    const wake = () => {
      waiting?.();
      waiting = null;
    };
    const post = (msg: StreamMessage, transfer: ArrayBuffer[] = []) => worker!.postMessage(msg, transfer);
    const openStream = () => {
      mode = "worker";
      worker = streamWorker();
      sid = nextSid++;
      const id = sid;
      outcome = new Promise<ModelAnalysis>((resolve, reject) => {
        drop = reject;
        streams.set(id, {
          worker: worker!,
          reply: (r) => {
            if ("ack" in r) {
              inFlight -= r.ack;
              if (inFlight < STREAM_WINDOW) wake();
              return;
            }
            if ("digest" in r) {
              digestWaiter?.(r.digest);
              digestWaiter = null;
              return;
            }
            streams.delete(id);
            digestWaiter?.(null);
            digestWaiter = null;
            wake();
            if (r.ok) resolve(r.value as ModelAnalysis);
            else reject(new QuoteError(r.error.code as QuoteErrorCode, r.error.message));
          },
        });
      });
      // the outcome of a stream dropped before its end is never awaited
      outcome.catch(() => undefined);
      post({ sid, op: "open", options });
    };
    const send = () => {
      if (!batch || batchLen === 0) return;
      const buffer = batch.buffer as ArrayBuffer;
      post({ sid, op: "chunk", buffer, byteLength: batchLen }, [buffer]);
      inFlight += batchLen;
      batch = null;
      batchLen = 0;
    };
    const enqueue = (bytes: Uint8Array) => {
      for (let at = 0; at < bytes.length; ) {
        batch ??= takeBuffer();
        const take = Math.min(bytes.length - at, STREAM_BATCH - batchLen);
        batch.set(bytes.subarray(at, at + take), batchLen);
        batchLen += take;
        at += take;
        if (batchLen === STREAM_BATCH) send();
      }
    };
    const abort = () => {
      if (mode === "worker" && streams.delete(sid)) {
        post({ sid, op: "abort" });
        drop?.(new Error("The analysis stream was aborted."));
      }
      mode = "aborted";
      batch = null;
      if (spare.length > spareLimit()) spare.length = spareLimit();
      wake();
    };
    return {
      abort,
      async write(chunk) {
        if (mode === "aborted") return;
        const before = total;
        total += chunk.length;
        if (headLen < head.length) {
          const take = Math.min(head.length - headLen, chunk.length);
          head.set(chunk.subarray(0, take), headLen);
          headLen += take;
        }
        if (mode === "deciding") {
          if (total < DECIDE_BYTES) return;
          const start = head.subarray(0, headLen);
          // a binary STL's start, as far as the first bytes tell (the size checks it at the end)
          if (closed || isZip(start) || startsWithSolid(start)) {
            mode = "file";
            local = createHash("sha256").update(head.subarray(0, before));
          } else {
            openStream();
            enqueue(head.subarray(0, before));
          }
        }
        if (mode === "file") local!.update(chunk);
        if (mode !== "worker" || !streams.has(sid)) return;
        enqueue(chunk);
        if (inFlight >= STREAM_WINDOW) await new Promise<void>((resolve) => (waiting = resolve));
      },
      digest(path) {
        // asked once (a hash is finished by its digest); a second call gets the same answer
        digested ??= (async () => {
          if (mode === "deciding") return createHash("sha256").update(head.subarray(0, total)).digest("hex");
          if (local) return local.digest("hex");
          if (mode === "worker" && streams.has(sid)) {
            send();
            const digest = await new Promise<string | null>((resolve) => {
              digestWaiter = resolve;
              post({ sid, op: "digest" });
            });
            if (digest !== null) return digest;
          }
          return hashFile(path);
        })();
        return digested;
      },
      async end(path) {
        if (mode === "worker" && readsAsBinaryStl(head.subarray(0, headLen), total, options)) {
          if (streams.has(sid)) {
            send();
            post({ sid, op: "end" });
          }
          try {
            const analysis = await outcome!;
            stats.streamed++;
            return analysis;
          } catch (e) {
            // a crashed worker: the file is analysed again; the engine's own refusals stand
            if (!(e instanceof QuoteError) || e.code !== "WORKER_FAILED") throw e;
          }
        } else abort();
        return analyzeFile(path, options);
      },
    };
  };

  return {
    size,
    stats,
    stream,
    async analyze(bytes, options) {
      const whole = (): [WorkerTask, ArrayBuffer[]] => {
        const own =
          bytes.byteOffset === 0 &&
          bytes.byteLength === bytes.buffer.byteLength &&
          bytes.buffer instanceof ArrayBuffer;
        const buffer = own ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
        return [{ kind: "bytes", buffer, byteOffset: 0, byteLength: bytes.byteLength, options }, [buffer]];
      };
      const cuts =
        size > 1 && bytes.length >= splitMinBytes && isAsciiStl(bytes.subarray(0, 4096), bytes.length)
          ? await planAsciiCuts(bytes, size)
          : null;
      if (!cuts) return submit<ModelAnalysis>(...whole());
      const sources = cuts
        .slice(0, -1)
        .map((start, k) => ({ buffer: bytes.slice(start, cuts[k + 1]).buffer }));
      return analyzeSplit(sources, options, whole);
    },
    analyzeFile,
    get pending() {
      return queue.length + running.size + streams.size;
    },
    async close() {
      closed = true;
      const error = { code: "POOL_CLOSED", message: "The analysis pool was closed." };
      for (const [sid, s] of streams) s.reply({ sid, ok: false, error });
      for (const j of queue.splice(0))
        j.reject(new QuoteError("POOL_CLOSED", "The analysis pool was closed."));
      for (const j of running.values())
        j.reject(new QuoteError("POOL_CLOSED", "The analysis pool was closed."));
      running.clear();
      await Promise.all(all.map((w) => w.terminate()));
      all.length = 0;
      idle.length = 0;
    },
  };
}

/** The SHA-256 (hex) of a file, read in 1 MB pieces. */
async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(piece as Buffer);
  return hash.digest("hex");
}

/** The file's size (refused over the limit before reading) and its first 4 KB. */
async function readHead(path: string, maxBytes: number): Promise<{ size: number; head: Uint8Array }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new QuoteError("FILE_UNREADABLE", `Cannot read "${path}": ${(e as Error).message}`);
  }
  if (size > maxBytes) fail("FILE_TOO_LARGE", `The file is ${size} bytes; the limit is ${maxBytes} bytes.`);
  const fh = await open(path, "r");
  try {
    const head = new Uint8Array(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    return { size, head };
  } finally {
    await fh.close();
  }
}

/** "solid" first and a size that is not the binary layout's: ASCII STL. */
function isAsciiStl(head: Uint8Array, size: number): boolean {
  const binaryHeader = head.length >= 84 && binaryStlExpectedSize(head) === size;
  return startsWithSolid(head) && !binaryHeader;
}

/**
 * Analyses a file on disk: refuses files over the limit before reading them; streams ASCII STL so a
 * large text file is never held in memory as a whole; uses zlib for 3MF.
 */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}): Promise<ModelAnalysis> {
  const opts = resolveOptions(options);
  const { size, head } = await readHead(path, opts.maxBytes);
  const withInflate = { ...options, inflateRaw: options.inflateRaw ?? zlibInflateRaw };
  const fh = await open(path, "r");
  try {
    if (isAsciiStl(head, size)) {
      const stream = fh.createReadStream({ highWaterMark: 1 << 20, start: 0, autoClose: false });
      return await analyzeStream(stream as AsyncIterable<Uint8Array>, withInflate);
    }
    const buf = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return analyzeModel(buf.subarray(0, off), withInflate);
  } finally {
    await fh.close();
  }
}

export { MAX_MODEL_BYTES };
