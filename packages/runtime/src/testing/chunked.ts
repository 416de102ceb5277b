import { request } from "node:http";

export interface ChunkedResult {
  status: number;
  body: string;
  /** Bytes written before the answer came (or the connection closed). */
  sent: number;
}

/**
 * Posts a chunked body (no Content-Length) of up to `totalBytes`, writing with backpressure and stopping
 * as soon as the server answers, as a client would that sends an oversized body and reads the reply.
 */
export function sendChunked(
  url: string,
  options: { totalBytes: number; chunkBytes?: number; headers?: Record<string, string> },
): Promise<ChunkedResult> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 256 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, {
      method: "POST",
      headers: { ...options.headers, "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        body += text;
      });
      const done = () => resolve({ status: res.statusCode ?? 0, body, sent });
      res.on("end", done);
      res.on("error", done);
      res.on("aborted", done);
    });
    req.on("error", (error) => {
      if (!answered) reject(Object.assign(error, { sent }));
    });
    const pump = () => {
      while (!answered && sent < options.totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Samples the process's resident memory while `work` runs; returns its result and the highest growth. */
export async function peakMemoryGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}
