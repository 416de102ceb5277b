import type { AsciiPart } from "../analyze.ts";
import type { AnalyzeOptions } from "../types.ts";

/** What the pool asks a worker thread to do (options never carry functions across threads). */
export type WorkerOptions = Omit<AnalyzeOptions, "inflateRaw">;

export type WorkerTask =
  | { kind: "bytes"; buffer: ArrayBuffer; byteOffset: number; byteLength: number; options?: WorkerOptions }
  | { kind: "file"; path: string; options?: WorkerOptions }
  | {
      kind: "ascii-range";
      path: string;
      start: number;
      end: number;
      maxTriangles: number;
      keepPositions: boolean;
    }
  | {
      kind: "ascii-parts";
      parts: (Omit<AsciiPart, "soup"> & { soup: ArrayBuffer })[];
      options?: WorkerOptions;
    };

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };
