import type { AsciiPart } from "../analyze.ts";
import type { AnalyzeOptions } from "../types.ts";

/** What the pool asks a worker thread to do (options never carry functions across threads). */
export type WorkerOptions = Omit<AnalyzeOptions, "inflateRaw">;

export type WorkerTask =
  | { kind: "bytes"; buffer: ArrayBuffer; byteOffset: number; byteLength: number; options?: WorkerOptions }
  | { kind: "file"; path: string; options?: WorkerOptions }
  | {
      kind: "ascii-range";
      /** Bytes [start, end) of a file, or a range already cut from the caller's bytes. */
      source: AsciiRangeSource;
      continuation: boolean;
      maxTriangles: number;
      keepPositions: boolean;
    }
  | {
      kind: "ascii-parts";
      parts: AsciiPart[];
      options?: WorkerOptions;
    };

/** The buffers of a parsed range, moved (not copied) between threads. */
export function partBuffers(part: AsciiPart): ArrayBuffer[] {
  const w = part.weld;
  if (!w) return [];
  const e = part.edges;
  return [w.ids.buffer, w.table?.buffer, w.verts?.buffer, e?.shell.buffer, e?.small.buffer].filter(
    (b) => b !== undefined,
  ) as ArrayBuffer[];
}

export type AsciiRangeSource = { path: string; start: number; end: number } | { buffer: ArrayBuffer };

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };

/**
 * A binary STL analysed while it arrives (`AnalysisPool.stream`): opened on one worker, fed pieces (each
 * acknowledged once read, which paces the sender), then ended (the analysis comes back) or aborted.
 */
export type StreamMessage =
  | { sid: number; op: "open"; options?: WorkerOptions }
  | { sid: number; op: "chunk"; buffer: ArrayBuffer; byteLength: number }
  | { sid: number; op: "digest" }
  | { sid: number; op: "end" }
  | { sid: number; op: "abort" };

export type StreamReply =
  /** A piece read: its length, and its buffer moved back to be filled again. */
  | { sid: number; ack: number; buffer?: ArrayBuffer }
  /** The SHA-256 (hex) of every piece received. */
  | { sid: number; digest: string }
  | { sid: number; ok: true; value: unknown }
  | { sid: number; ok: false; error: { code: string; message: string } };
