// A Vitest setup file (every config lists it): a test whose event loop never turns again (a busy loop,
// a promise chain that never yields, a blocking call) also stops Vitest's own timers, so no test or hook
// timeout fires and the whole run waits until CI kills it, with nothing said about where. A thread
// watches a heartbeat that this main thread bumps once a second; after `KTIZO_TEST_STALL_SECONDS`
// (default 120) without one it prints the test file and the main thread's stack and kills the test
// process (stall-watchdog-thread.mjs): the file fails and the run goes on.
import { Worker } from "node:worker_threads";
import { beforeAll, expect } from "vitest";

const DEFAULT_LIMIT_SECONDS = 120;
const key = Symbol.for("ktizo.stallWatchdog");
const scope = globalThis as { [key]?: Worker };

function startWatchdog(): Worker {
  const heartbeat = new SharedArrayBuffer(4);
  const beats = new Int32Array(heartbeat);
  setInterval(() => Atomics.add(beats, 0, 1), 1_000).unref();
  const limitSeconds = Number(process.env.KTIZO_TEST_STALL_SECONDS) || DEFAULT_LIMIT_SECONDS;
  const worker = new Worker(new URL("./stall-watchdog-thread.mjs", import.meta.url), {
    workerData: { heartbeat, limitSeconds },
  });
  worker.unref();
  return worker;
}

scope[key] ??= startWatchdog();
const watchdog = scope[key];
// Setup files run before each test file: tell the watchdog which one this process runs now.
beforeAll(() => {
  watchdog.postMessage(expect.getState().testPath ?? "an unknown test file");
});
