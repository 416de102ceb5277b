// The watchdog's thread (stall-watchdog.ts starts it): plain JavaScript, because Vitest transforms only
// the test process's main thread. It reads the heartbeat the main thread bumps once a second; when the
// heartbeat has not moved for `limitSeconds`, it writes the main thread's JavaScript stack to stderr
// (through the inspector, which interrupts running JavaScript and microtask loops alike) and kills
// the test process, so Vitest reports the file as failed and goes on with the next one.
import { writeSync } from "node:fs";
import { Session } from "node:inspector";
import { parentPort, workerData } from "node:worker_threads";

const { heartbeat, limitSeconds } = workerData;
let file = "a test file";
parentPort?.on("message", (path) => {
  file = String(path);
});
const beats = new Int32Array(heartbeat);
// How long the stack may take to arrive: code blocked outside JavaScript (a system call) never pauses.
const STACK_WAIT_MS = 10_000;

let seen = Atomics.load(beats, 0);
let still = 0;
setInterval(() => {
  const now = Atomics.load(beats, 0);
  if (now !== seen) {
    seen = now;
    still = 0;
    return;
  }
  still += 1;
  if (still >= limitSeconds) void reportAndKill();
}, 1_000);

function say(text) {
  // Straight to the file descriptor: the process's streams belong to the stalled main thread.
  writeSync(2, `\n[stall-watchdog] ${text}\n`);
}

async function reportAndKill() {
  const stack = await mainThreadStack();
  say(
    `${file}: the test process (${process.pid})'s event loop has not turned for ${limitSeconds} s (a busy loop, a promise chain that never yields, or a blocking call). Its main thread's stack:\n${stack}`,
  );
  say("killing the test process so the run goes on (this file fails)");
  process.kill(process.pid, "SIGKILL");
}

/**
 * The main thread's stack, through the inspector: pauses it (which interrupts running JavaScript and
 * microtask loops alike) up to `SAMPLES` times, 100 ms apart, and keeps the first stack that has a frame
 * outside Node's internals (a pause can land between two microtasks, in Node's own code).
 */
function mainThreadStack() {
  const SAMPLES = 10;
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve(`(no stack within ${STACK_WAIT_MS / 1000} s: blocked outside JavaScript)`),
      STACK_WAIT_MS,
    );
    const session = new Session();
    session.connectToMainThread();
    // Debugger.enable announces every script already loaded: their names, for the frames below
    // (positions are in the code as Vitest transformed it, close to the source's lines).
    const scripts = new Map();
    session.on("Debugger.scriptParsed", ({ params }) => scripts.set(params.scriptId, params.url));
    const at = (f) => {
      const where = f.url || scripts.get(f.scriptId ?? f.location?.scriptId) || "an unnamed script";
      const { lineNumber, columnNumber = 0 } = f.location ?? f;
      return `    at ${f.functionName || "<anonymous>"} (${where}:${lineNumber + 1}:${columnNumber + 1})`;
    };
    let samples = 0;
    session.on("Debugger.paused", ({ params }) => {
      samples += 1;
      const lines = params.callFrames.map(at);
      // The awaits that led here (recorded for work scheduled since the watchdog connected).
      for (let link = params.asyncStackTrace; link; link = link.parent) {
        lines.push(`    -- ${link.description || "async"} --`, ...link.callFrames.map(at));
      }
      const ownCode = lines.some((line) => line.includes("(file://"));
      if (ownCode || samples >= SAMPLES) {
        clearTimeout(timer);
        resolve(lines.join("\n"));
        return;
      }
      session.post("Debugger.resume", () => setTimeout(() => session.post("Debugger.pause"), 100));
    });
    session.post("Debugger.enable", () =>
      session.post("Debugger.setAsyncCallStackDepth", { maxDepth: 16 }, () => session.post("Debugger.pause")),
    );
  });
}
