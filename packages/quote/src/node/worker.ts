import { parentPort } from "node:worker_threads";
import { type AsciiPart, analyzeAsciiParts, analyzeModel } from "../analyze.ts";
import { QuoteError } from "../errors.ts";
import { parseAsciiRange } from "./ascii-ranges.ts";
import { analyzeFile, zlibInflateRaw } from "./index.ts";
import type { WorkerReply, WorkerTask } from "./tasks.ts";

async function run(task: WorkerTask): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  switch (task.kind) {
    case "bytes": {
      const bytes = new Uint8Array(task.buffer, task.byteOffset, task.byteLength);
      return { value: analyzeModel(bytes, { ...task.options, inflateRaw: zlibInflateRaw }), transfer: [] };
    }
    case "file":
      return { value: await analyzeFile(task.path, task.options), transfer: [] };
    case "ascii-range": {
      const part = await parseAsciiRange(task.source, task);
      // the soup may be a view of a larger buffer: send exactly its bytes
      const soup = part.soup.slice();
      return { value: { ...part, soup }, transfer: [soup.buffer] };
    }
    case "ascii-parts": {
      const parts: AsciiPart[] = task.parts.map((p) => ({
        ...p,
        soup: new Float32Array(p.soup),
      }));
      return { value: analyzeAsciiParts(parts, task.options), transfer: [] };
    }
  }
}

parentPort?.on("message", (msg: { id: number; task: WorkerTask }) => {
  run(msg.task).then(
    ({ value, transfer }) =>
      parentPort?.postMessage({ id: msg.id, ok: true, value } satisfies WorkerReply, transfer),
    (e: unknown) => {
      const error =
        e instanceof QuoteError
          ? { code: e.code, message: e.message }
          : { code: "WORKER_FAILED", message: e instanceof Error ? e.message : String(e) };
      parentPort?.postMessage({ id: msg.id, ok: false, error } satisfies WorkerReply);
    },
  );
});
