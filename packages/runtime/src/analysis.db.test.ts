import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { job } from "@ktizo/api";
import { seedDemo } from "@ktizo/api/demo";
import { analyzeModel, type ModelAnalysis } from "@ktizo/quote";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "./runtime.ts";
import { loadSettings } from "./settings.ts";

// Model analysis runs in the worker pool (issue 19, req. 3): while a large job file is analysed, the web
// process keeps answering requests. No clocks: the test counts the requests answered *during* the
// analysis, and shows the same count is zero when the analysis runs on the event loop.

let runtime: Runtime;
let dataDir: string;
let server: Server;
let answered = 0;

/** An ASCII STL of `facets` small triangles (a large text file, as shops upload them). */
function asciiStl(facets: number): Uint8Array {
  const parts = ["solid big\n"];
  for (let i = 0; i < facets; i++) {
    const x = (i % 1000) * 0.1;
    const y = Math.floor(i / 1000) * 0.1;
    parts.push(
      `facet normal 0 0 1\n outer loop\n  vertex ${x} ${y} 0\n  vertex ${x + 0.1} ${y} 0\n  vertex ${x} ${y + 0.1} 0\n endloop\nendfacet\n`,
    );
  }
  parts.push("endsolid big\n");
  return new TextEncoder().encode(parts.join(""));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ktizo-analysis-"));
  runtime = await createRuntime(
    loadSettings({
      NODE_ENV: "test",
      BETTER_AUTH_URL: "http://127.0.0.1:3998",
      BETTER_AUTH_SECRET: "analysis-test-secret-analysis-test-secret",
      KTIZO_DATA_DIR: dataDir,
    }),
  );
  await seedDemo(runtime.db, runtime.clock);
  // Stands for the web app in this process: any request it answers proves the event loop is free.
  server = createServer((_req, res) => {
    answered++;
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Attaches `bytes` as a model to a demo job, pinging the server meanwhile; requests answered during analysis. */
async function answeredWhileAnalysing(
  bytes: Uint8Array,
  analyze: (b: Uint8Array) => Promise<ModelAnalysis>,
): Promise<{ during: number; analysis: Record<string, unknown> | null }> {
  const target = await runtime.db
    .selectFrom("job")
    .select(["id", "organizationId"])
    .executeTakeFirstOrThrow();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let during = 0;
  let stop = false;
  const pinging = (async () => {
    while (!stop) await fetch(url).then((r) => r.text());
  })();
  const file = await job.attachJobFile(
    runtime.db,
    {
      storage: runtime.services.storage,
      analyze: async (b) => {
        const before = answered;
        const result = await analyze(b);
        during = answered - before;
        return result;
      },
    },
    {
      organizationId: target.organizationId,
      jobId: target.id,
      actorUserId: null,
      fileName: "big.stl",
      contentType: "model/stl",
      bytes,
      kind: "model",
    },
    runtime.clock.now(),
  );
  stop = true;
  await pinging;
  return { during, analysis: file.analysis };
}

describe("model analysis in the worker pool", () => {
  const big = asciiStl(150_000);

  it("the web process answers requests while a large job file is analysed", async () => {
    const { during, analysis } = await answeredWhileAnalysing(big, (b) => runtime.analyzeModel(b));
    expect(analysis).toMatchObject({ format: "stl-ascii", triangles: 150_000 });
    expect(during).toBeGreaterThan(0);
  });

  it("on the event loop the same analysis answers nothing meanwhile (what the pool prevents)", async () => {
    const { during, analysis } = await answeredWhileAnalysing(big, async (b) => analyzeModel(b));
    expect(analysis).toMatchObject({ format: "stl-ascii", triangles: 150_000 });
    expect(during).toBe(0);
  });
});
