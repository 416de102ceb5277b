import { afterEach, describe, expect, it } from "vitest";
import { createMetrics, startMetricsServer } from "./metrics.ts";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("metrics endpoint", () => {
  it("serves request latency, job durations and queue depth in Prometheus format on its own port", async () => {
    const metrics = createMetrics();
    metrics.httpDuration.observe({ app: "web", method: "GET", route: "/shops", status: "2xx" }, 0.042);
    metrics.jobDuration.observe({ queue: "slice-uploads", outcome: "ok" }, 3.5);
    metrics.webhookLag.observe({ provider: "stripe" }, 2);
    metrics.setQueueDepthSource(async () => [{ queue: "privacy-export", state: "created", count: 7 }]);
    const server = await startMetricsServer(metrics, { port: 0, host: "127.0.0.1" });
    closers.push(server.close);

    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain(
      'ktizo_http_request_duration_seconds_count{app="web",method="GET",route="/shops",status="2xx"} 1',
    );
    expect(text).toContain('ktizo_job_duration_seconds_sum{queue="slice-uploads",outcome="ok"} 3.5');
    expect(text).toContain('ktizo_queue_jobs{queue="privacy-export",state="created"} 7');
    expect(text).toContain('ktizo_webhook_lag_seconds_count{provider="stripe"} 1');
    expect(text).toContain("process_resident_memory_bytes");

    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
  });

  it("keeps each runtime's figures apart", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.analysisDuration.observe({ outcome: "ok" }, 1);
    expect(await b.registry.getSingleMetricAsString("ktizo_analysis_duration_seconds")).not.toContain(
      'outcome="ok"',
    );
  });
});
