import { execFile } from "node:child_process";
import { systemPath } from "./system-path.ts";

/** How a machine without the slicer gets it (Debian bookworm ships PrusaSlicer 2.5.0). */
export const SLICER_INSTALL_HINT = "apt-get install prusa-slicer";

export type SlicerInfo =
  | {
      available: true;
      name: "PrusaSlicer";
      version: string;
      path: string;
      /** `unshare --net` works here (root): the slicer runs with no network at all. */
      networkIsolated: boolean;
    }
  | { available: false; path: string; reason: string };

// Only PATH: none of these programs needs a display, a home or other settings to answer.
const minimalEnv = { PATH: systemPath() } as unknown as NodeJS.ProcessEnv;

function run(file: string, args: string[]): Promise<{ ok: boolean; stdout: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15_000, maxBuffer: 1 << 20, env: minimalEnv }, (error, stdout) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolve({ ok: !error, stdout: String(stdout), missing: code === "ENOENT" });
    });
  });
}

/**
 * Finds PrusaSlicer by running `<path> --help` (its first line names the version), and the sandbox it
 * needs: `prlimit` (util-linux) is required, `unshare --net` is used when it works. Never throws: a
 * missing slicer is a normal state (quotes stay "estimated").
 */
export async function detectSlicer(path = "prusa-slicer"): Promise<SlicerInfo> {
  const help = await run(path, ["--help"]);
  const match = /PrusaSlicer-(\d+\.\d+\.\d+)/.exec(help.stdout);
  if (!match) {
    return { available: false, path, reason: help.missing ? "not installed" : "does not run (no version)" };
  }
  const prlimit = await run("prlimit", ["--core=0", "--", "true"]);
  if (!prlimit.ok) {
    return { available: false, path, reason: "cannot be limited (prlimit from util-linux is missing)" };
  }
  const unshare = await run("unshare", ["--net", "--", "true"]);
  return { available: true, name: "PrusaSlicer", version: match[1]!, path, networkIsolated: unshare.ok };
}

/** The start-up log line: which slicer quotes are verified with, or that they stay estimated and why. */
export function describeSlicer(info: SlicerInfo): string {
  if (info.available) {
    const network = info.networkIsolated ? "no network" : "network NOT isolated (unshare needs root)";
    return `slicer: ${info.name} ${info.version} (${info.path}; ${network}), quotes are sliced in workers`;
  }
  return `slicer: PrusaSlicer ${info.reason} at "${info.path}": quotes stay "estimated"; install it with \`${SLICER_INSTALL_HINT}\` (Debian) and restart`;
}
