import { createServer, type Server } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus metrics (prom-client). One registry per runtime, not prom-client's global
 * one, so a test can run several runtimes in one process. Served on their own port (see
 * `startMetricsServer`), never on the public app ports.
 */
export interface Metrics {
  registry: Registry;
  /** Request latency by app, method, route (ids replaced, see `routeLabel`) and status class. */
  httpDuration: Histogram<"app" | "method" | "route" | "status">;
  /** Background job run time by queue and outcome. */
  jobDuration: Histogram<"queue" | "outcome">;
  /** Model analysis in the worker pool, by outcome. */
  analysisDuration: Histogram<"outcome">;
  /** PrusaSlicer runs, by outcome (an error class or "ok"). */
  sliceDuration: Histogram<"outcome">;
  /** Seconds between a provider creating a webhook event and Ktizo receiving it. */
  webhookLag: Histogram<"provider">;
  webhooks: Counter<"provider" | "outcome">;
  /** Jobs waiting or running per queue; filled when scraped by the collector set below. */
  queueDepth: Gauge<"queue" | "state">;
  /** Sets how queue depth is read at scrape time (the worker process has the queue). */
  setQueueDepthSource(read: () => Promise<Array<{ queue: string; state: string; count: number }>>): void;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LONG_SECONDS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

export function createMetrics(labels: Record<string, string> = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  let readDepth: (() => Promise<Array<{ queue: string; state: string; count: number }>>) | null = null;
  const queueDepth = new Gauge({
    name: "ktizo_queue_jobs",
    help: "Background jobs per queue and state",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      if (!readDepth) return;
      this.reset();
      for (const row of await readDepth().catch(() => [])) {
        this.set({ queue: row.queue, state: row.state }, row.count);
      }
    },
  });
  return {
    registry,
    httpDuration: new Histogram({
      name: "ktizo_http_request_duration_seconds",
      help: "HTTP request latency",
      labelNames: ["app", "method", "route", "status"] as const,
      buckets: SECONDS,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "ktizo_job_duration_seconds",
      help: "Background job run time",
      labelNames: ["queue", "outcome"] as const,
      buckets: LONG_SECONDS,
      registers: [registry],
    }),
    analysisDuration: new Histogram({
      name: "ktizo_analysis_duration_seconds",
      help: "Model analysis time in the worker pool",
      labelNames: ["outcome"] as const,
      buckets: SECONDS,
      registers: [registry],
    }),
    sliceDuration: new Histogram({
      name: "ktizo_slice_duration_seconds",
      help: "PrusaSlicer run time",
      labelNames: ["outcome"] as const,
      buckets: LONG_SECONDS,
      registers: [registry],
    }),
    webhookLag: new Histogram({
      name: "ktizo_webhook_lag_seconds",
      help: "Delay between a provider creating a webhook event and Ktizo receiving it",
      labelNames: ["provider"] as const,
      buckets: LONG_SECONDS,
      registers: [registry],
    }),
    webhooks: new Counter({
      name: "ktizo_webhooks_total",
      help: "Webhook deliveries by provider and outcome",
      labelNames: ["provider", "outcome"] as const,
      registers: [registry],
    }),
    queueDepth,
    setQueueDepthSource(read) {
      readDepth = read;
    },
  };
}

/** Serves `GET /metrics` in Prometheus text format on its own port (0 picks a free one). */
export async function startMetricsServer(
  metrics: Metrics,
  options: { port: number; host: string },
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
      (error: unknown) =>
        res.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
