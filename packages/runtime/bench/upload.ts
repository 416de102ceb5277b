/**
 * `pnpm bench:upload`: model uploads through the production host (POST /quote/upload: written once into
 * storage's staging place while a pool worker analyses the binary STL as it arrives, committed,
 * recorded) against a floor in
 * the same run: the analysis alone of the same file in the same pool (its rounds alternate with the
 * uploads'). 10 MB and 50 MB binary STL, 1 and 10 at once. Prints p50/p95 of
 * each, their ratio, and the growth of the process's resident memory per concurrent upload.
 *
 * Goal (issue 17): uploads at p95 within 1.5× the analysis alone.
 */
import { fork } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAppServer } from "../src/host.ts";
import { createRuntime } from "../src/runtime.ts";
import { loadSettings } from "../src/settings.ts";
import { sphereStl } from "../src/testing/models.ts";
import { freePort } from "../src/testing/ports.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "ktizo-bench-upload-"));
  const [port, adminPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${port}`;
  const settings = loadSettings({
    NODE_ENV: "production",
    PORT: String(port),
    ADMIN_PORT: String(adminPort),
    KTIZO_DATA_DIR: join(dir, "data"),
    BETTER_AUTH_SECRET: "bench-secret-bench-secret-bench-secret-bench",
    BETTER_AUTH_URL: webUrl,
    TRUSTED_PROXY_IP_HEADER: "x-forwarded-for",
    LOG_LEVEL: "warn",
  });
  const runtime = await createRuntime(settings);
  const web = await startAppServer({
    name: "web",
    root: join(repoRoot, "apps/web"),
    port,
    host: "127.0.0.1",
    runtime,
    dev: false,
  });
  const pool = runtime.analysisPool;

  // The uploading clients run in another process, as browsers would: their multipart encoding must
  // not share the server's event loop.
  const uploadRound = (path: string, concurrency: number) =>
    new Promise<number[]>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ["--client", webUrl, path, String(concurrency)], {
        execArgv: ["--import", "tsx"],
      });
      child.once("message", (m) => resolve(m as number[]));
      child.once("error", reject);
      child.once("exit", (code) => code && reject(new Error(`upload client exited ${code}`)));
    });
  const analyse = async (path: string) => {
    const started = performance.now();
    await pool.analyzeFile(path);
    return performance.now() - started;
  };

  /** Latencies so far, and the resident memory growth at the peak of the rounds run. */
  const series = () => ({ latencies: [] as number[], peakGrowth: 0 });

  /** One round of `concurrency` operations, added to `into`. */
  async function round(
    run: (path: string, concurrency: number) => Promise<number[]>,
    into: ReturnType<typeof series>,
    path: string,
    concurrency: number,
  ) {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    into.latencies.push(...(await run(path, concurrency)));
    clearInterval(sampler);
    into.peakGrowth = Math.max(into.peakGrowth, peak - baseline);
  }

  const summary = ({ latencies, peakGrowth }: ReturnType<typeof series>, concurrency: number) => ({
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    rssPerUploadMb: peakGrowth / concurrency / 1048576,
  });

  console.log(`# pnpm bench:upload (load average ${loadavg()[0]!.toFixed(2)}, pool of ${2} workers)\n`);
  console.log(
    "| file | at once | upload p50 ms | upload p95 ms | analysis p50 ms | analysis p95 ms | p95 ratio | goal | met | RSS growth per upload MB |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  // `pnpm bench:upload 50` runs one size only
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  for (const mb of sizes.length > 0 ? sizes : [10, 50]) {
    const path = join(dir, `sphere-${mb}mb.stl`);
    writeFileSync(path, sphereStl(mb * 1048576));
    // warm the workers, and the route (its first request compiles and connects what later ones reuse)
    await analyse(path);
    await uploadRound(path, 1);
    for (const concurrency of [1, 10]) {
      const rounds = concurrency === 1 ? 6 : 2;
      // Rounds of the floor and of the uploads alternate, so the other work on a shared machine weighs
      // on both alike.
      const [floorRuns, appRuns] = [series(), series()];
      const analyseRound = (p: string, n: number) => Promise.all(Array.from({ length: n }, () => analyse(p)));
      for (let r = 0; r < rounds; r++) {
        await round(analyseRound, floorRuns, path, concurrency);
        await round(uploadRound, appRuns, path, concurrency);
      }
      const [floor, app] = [summary(floorRuns, concurrency), summary(appRuns, concurrency)];
      const ratio = app.p95 / floor.p95;
      console.log(
        `| ${mb} MB | ${concurrency} | ${app.p50.toFixed(0)} | ${app.p95.toFixed(0)} | ${floor.p50.toFixed(0)} | ${floor.p95.toFixed(0)} | ${ratio.toFixed(2)}× | ≤ 1.5× | ${ratio <= 1.5 ? "yes" : "no"} | ${app.rssPerUploadMb.toFixed(1)} |`,
      );
    }
  }
  await web.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The client process: `concurrency` uploads at once, latencies sent back to the parent. Each body is the
 * multipart framing around the file streamed from disk (`node:http`), what a browser sends: a browser
 * on another machine costs the server's cores nothing, and undici's `FormData` encoding cost this
 * shared 2-core machine 5–10 ms a MB.
 */
async function client(url: string, path: string, concurrency: number) {
  const size = statSync(path).size;
  const latencies = await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const boundary = `----ktizo-bench-${i}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="part.stl"\r\nContent-Type: model/stl\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const started = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${url}/quote/upload`,
          {
            method: "POST",
            headers: {
              accept: "application/json",
              origin: url,
              "x-forwarded-for": `10.${process.pid & 255}.${i}.9`,
              "content-type": `multipart/form-data; boundary=${boundary}`,
              "content-length": head.length + size + tail.length,
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.write(head);
        const file = createReadStream(path, { highWaterMark: 1 << 20 });
        file.on("error", reject);
        file.on("end", () => req.end(tail));
        file.pipe(req, { end: false });
      });
      if (status !== 200) throw new Error(`upload answered ${status}`);
      return performance.now() - started;
    }),
  );
  process.send?.(latencies);
}

const at = process.argv.indexOf("--client");
if (at > 0) {
  await client(process.argv[at + 1]!, process.argv[at + 2]!, Number(process.argv[at + 3]));
} else {
  await main();
}
process.exit(0);
