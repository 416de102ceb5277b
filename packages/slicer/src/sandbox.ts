import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { systemPath } from "./system-path.ts";

export interface SandboxLimits {
  /** Wall-clock limit; the whole process group is killed (SIGKILL) when it passes. */
  timeoutMs: number;
  /** Address-space limit (prlimit --as). */
  memoryBytes: number;
  /** Largest file the process may write (prlimit --fsize): a runaway G-code cannot fill the disk. */
  maxFileBytes: number;
  /** stdout and stderr are each kept to their last this-many bytes. */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 120_000,
  memoryBytes: 3 * 1024 ** 3,
  maxFileBytes: 2 * 1024 ** 3,
  maxOutputBytes: 64 * 1024,
};

export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Bytes the process wrote to stdout + stderr, of which only the tails above were kept. */
  outputBytes: number;
  wallMs: number;
  /** Highest resident set size seen (VmHWM, sampled every 50 ms), bytes; 0 if never sampled. */
  peakMemoryBytes: number;
  networkIsolated: boolean;
}

/** Keeps the last `max` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  total = 0;
  constructor(private readonly max: number) {}
  push(chunk: Buffer) {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept - this.chunks[0]!.length >= this.max) this.kept -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.max)).toString("utf8");
  }
}

function vmHwmBytes(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs a program the way the slicer is run: under prlimit (address space, file size, no core dumps), in
 * a new network namespace when the machine allows it (`unshare -n`, root only: no network at all),
 * in its own process group (killed as a whole on timeout and after exit), with HOME and TMPDIR set to
 * `cwd`, a minimal environment, and its output read through capped buffers.
 */
export function runSandboxed(
  argv: string[],
  options: { cwd: string; limits: SandboxLimits; isolateNetwork: boolean },
): Promise<SandboxResult> {
  const { cwd, limits } = options;
  const prefix = [
    "prlimit",
    `--as=${Math.floor(limits.memoryBytes)}`,
    `--fsize=${Math.floor(limits.maxFileBytes)}`,
    "--core=0",
    "--",
    ...(options.isolateNetwork ? ["unshare", "--net", "--"] : []),
  ];
  const env = {
    PATH: systemPath(),
    HOME: cwd,
    TMPDIR: cwd,
    LC_ALL: "C",
  } as unknown as NodeJS.ProcessEnv;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(prefix[0]!, [...prefix.slice(1), ...argv], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout = new TailBuffer(limits.maxOutputBytes);
    const stderr = new TailBuffer(limits.maxOutputBytes);
    child.stdout.on("data", (c: Buffer) => stdout.push(c));
    child.stderr.on("data", (c: Buffer) => stderr.push(c));
    let peak = 0;
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is already gone
      }
    };
    const sampler = setInterval(() => {
      if (child.pid) peak = Math.max(peak, vmHwmBytes(child.pid));
    }, 50);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, limits.timeoutMs);
    child.on("error", (error) => {
      clearInterval(sampler);
      clearTimeout(timer);
      reject(error);
    });
    // Anything the program started (a post-processing script, a helper) dies with it, and its pipes close.
    child.on("exit", killGroup);
    child.on("close", (exitCode, signal) => {
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        timedOut,
        stdout: stdout.text(),
        stderr: stderr.text(),
        outputBytes: stdout.total + stderr.total,
        wallMs: performance.now() - started,
        peakMemoryBytes: peak,
        networkIsolated: options.isolateNetwork,
      });
    });
  });
}
