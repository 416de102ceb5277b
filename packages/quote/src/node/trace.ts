import { readFileSync, readlinkSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { BroadcastChannel, threadId } from "node:worker_threads";

/**
 * The analysis pool's timeline, for `bench/timeline.ts`: with `KTIZO_QUOTE_TRACE` set in the
 * environment (workers inherit it), the pool and its workers post what they do, when, and at what
 * CPU time of their own thread, on a BroadcastChannel of this name. Unset (always, outside that
 * bench), `trace` is one test of a constant.
 */
export const TRACE_CHANNEL = "ktizo-quote-trace";

export interface TraceEvent {
  /** Node's thread id (0: the main thread) and the OS thread id. */
  thread: number;
  tid: number;
  event: string;
  /** Wall clock, ms since the epoch (comparable across threads). */
  t: number;
  /** This thread's CPU time so far and its time runnable but waiting for a core, ms (Linux). */
  cpu: number;
  wait: number;
  detail?: Record<string, number | string>;
}

// biome-ignore lint/style/noProcessEnv: a switch for bench/timeline.ts that the worker threads inherit, not a setting
const enabled = typeof process !== "undefined" && !!process.env.KTIZO_QUOTE_TRACE;
const channel: BroadcastChannel | null = enabled ? new BroadcastChannel(TRACE_CHANNEL) : null;
(channel as { unref?: () => void } | null)?.unref?.();

function osThreadId(): number {
  try {
    return Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return -1;
  }
}
const tid = enabled ? osThreadId() : -1;

/** This thread's [CPU ms, runnable-but-waiting ms] from /proc/thread-self/schedstat ([0, 0] elsewhere). */
export function threadTimes(): [number, number] {
  try {
    const [run, wait] = readFileSync("/proc/thread-self/schedstat", "utf8").split(" ");
    return [Number(run) / 1e6, Number(wait) / 1e6];
  } catch {
    return [0, 0];
  }
}

export const tracing = enabled;

export function trace(event: string, detail?: Record<string, number | string>): void {
  if (channel === null) return;
  const [cpu, wait] = threadTimes();
  const e: TraceEvent = {
    thread: threadId,
    tid,
    event,
    t: performance.timeOrigin + performance.now(),
    cpu,
    wait,
    detail,
  };
  channel.postMessage(e);
}

/** Posts this thread's garbage collections (start, duration, kind) as "gc" events while tracing. */
export function traceCollections(): void {
  if (channel === null) return;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind ?? 0;
      channel.postMessage({
        thread: threadId,
        tid,
        event: "gc",
        t: performance.timeOrigin + e.startTime,
        cpu: 0,
        wait: 0,
        detail: { ms: e.duration, kind },
      } satisfies TraceEvent);
    }
  });
  obs.observe({ entryTypes: ["gc"] });
}
