import { parentPort } from "node:worker_threads";
import { analyzeModel } from "../analyze.ts";
import { QuoteError } from "../errors.ts";
import type { AnalyzeOptions } from "../types.ts";
import { zlibInflateRaw } from "./inflate.ts";

interface Job {
  id: number;
  buffer: ArrayBuffer;
  byteOffset: number;
  byteLength: number;
  options?: Omit<AnalyzeOptions, "inflateRaw">;
}

parentPort?.on("message", (job: Job) => {
  try {
    const bytes = new Uint8Array(job.buffer, job.byteOffset, job.byteLength);
    const result = analyzeModel(bytes, { ...job.options, inflateRaw: zlibInflateRaw });
    parentPort?.postMessage({ id: job.id, ok: true, result });
  } catch (e) {
    const error =
      e instanceof QuoteError
        ? { code: e.code, message: e.message }
        : { code: "WORKER_FAILED", message: e instanceof Error ? e.message : String(e) };
    parentPort?.postMessage({ id: job.id, ok: false, error });
  }
});
