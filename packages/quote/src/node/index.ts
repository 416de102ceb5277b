import { open, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { analyzeModel, analyzeStream, MAX_MODEL_BYTES, resolveOptions } from "../analyze.ts";
import { fail, QuoteError, type QuoteErrorCode } from "../errors.ts";
import { startsWithSolid } from "../formats/stl.ts";
import type { AnalyzeOptions, ModelAnalysis } from "../types.ts";
import { zlibInflateRaw } from "./inflate.ts";

export { zlibInflateRaw };

export interface AnalysisPool {
  /** Analyses in a worker thread. The buffer is transferred (the caller's view becomes empty). */
  analyze(bytes: Uint8Array, options?: Omit<AnalyzeOptions, "inflateRaw">): Promise<ModelAnalysis>;
  /** Jobs waiting or running. */
  readonly pending: number;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Worker threads. Default: available cores − 1, at least 1. */
  size?: number;
  /** Jobs allowed to wait for a worker; more are refused with QUEUE_FULL. Default 64. */
  maxQueue?: number;
}

interface Pending {
  id: number;
  bytes: Uint8Array;
  options: Omit<AnalyzeOptions, "inflateRaw"> | undefined;
  resolve: (a: ModelAnalysis) => void;
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
  const { url, workerData } = workerUrl();
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const running = new Map<Worker, Pending>();
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Worker => {
    const w = new Worker(url, { workerData });
    w.unref();
    w.on(
      "message",
      (msg: {
        id: number;
        ok: boolean;
        result?: ModelAnalysis;
        error?: { code: string; message: string };
      }) => {
        const job = running.get(w);
        running.delete(w);
        if (job && job.id === msg.id) {
          if (msg.ok) job.resolve(msg.result!);
          else job.reject(new QuoteError(msg.error!.code as QuoteErrorCode, msg.error!.message));
        }
        idle.push(w);
        pump();
      },
    );
    w.on("error", (err) => {
      const job = running.get(w);
      running.delete(w);
      all.splice(all.indexOf(w), 1);
      job?.reject(new QuoteError("WORKER_FAILED", `Analysis worker crashed: ${err.message}`));
      if (!closed) pump();
    });
    all.push(w);
    return w;
  };

  const pump = () => {
    while (queue.length > 0 && !closed) {
      let w = idle.pop();
      if (!w) {
        if (all.length >= size) return;
        w = spawn();
      }
      const job = queue.shift()!;
      running.set(w, job);
      const b = job.bytes;
      const whole =
        b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
      const buffer = whole ? (b.buffer as ArrayBuffer) : b.slice().buffer;
      w.postMessage({ id: job.id, buffer, byteOffset: 0, byteLength: b.byteLength, options: job.options }, [
        buffer,
      ]);
    }
  };

  return {
    analyze(bytes, options) {
      if (closed) return Promise.reject(new QuoteError("POOL_CLOSED", "The analysis pool is closed."));
      if (queue.length >= maxQueue) {
        return Promise.reject(
          new QuoteError("QUEUE_FULL", "Too many models are being analysed; try again shortly."),
        );
      }
      return new Promise<ModelAnalysis>((resolve, reject) => {
        queue.push({ id: nextId++, bytes, options, resolve, reject });
        pump();
      });
    },
    get pending() {
      return queue.length + running.size;
    },
    async close() {
      closed = true;
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

/**
 * Analyses a file on disk: refuses files over the limit before reading them; streams ASCII STL so a
 * large text file is never held in memory as a whole; uses zlib for 3MF.
 */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}): Promise<ModelAnalysis> {
  const opts = resolveOptions(options);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new QuoteError("FILE_UNREADABLE", `Cannot read "${path}": ${(e as Error).message}`);
  }
  if (size > opts.maxBytes)
    fail("FILE_TOO_LARGE", `The file is ${size} bytes; the limit is ${opts.maxBytes} bytes.`);
  const fh = await open(path, "r");
  try {
    const head = new Uint8Array(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    const binaryHeader = size >= 84 && new DataView(head.buffer).getUint32(80, true) * 50 + 84 === size;
    const withInflate = { ...options, inflateRaw: options.inflateRaw ?? zlibInflateRaw };
    if (startsWithSolid(head) && !binaryHeader) {
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
