import { execFile } from "node:child_process";

/** How a machine without the slicer gets it (Debian bookworm ships PrusaSlicer 2.5.0). */
export const SLICER_INSTALL_HINT = "apt-get install prusa-slicer";

export type SlicerInfo =
  | { available: true; name: "PrusaSlicer"; version: string; path: string }
  | { available: false; path: string; reason: string };

/**
 * Finds PrusaSlicer by running `<path> --help` (its first line names the version; it needs no display).
 * Never throws: a missing or broken slicer is a normal state (quotes stay "estimated").
 */
export function detectSlicer(path = "prusa-slicer"): Promise<SlicerInfo> {
  return new Promise((resolve) => {
    execFile(
      path,
      ["--help"],
      // Only PATH: the slicer needs no display, home or other settings to print its help.
      {
        timeout: 15_000,
        maxBuffer: 1 << 20,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } as unknown as NodeJS.ProcessEnv,
      },
      (error, stdout) => {
        const match = /PrusaSlicer-(\d+\.\d+\.\d+)/.exec(String(stdout));
        if (match) {
          resolve({ available: true, name: "PrusaSlicer", version: match[1]!, path });
          return;
        }
        const code = (error as NodeJS.ErrnoException | null)?.code;
        resolve({
          available: false,
          path,
          reason: code === "ENOENT" ? "not installed" : `does not run (${error?.message ?? "no version"})`,
        });
      },
    );
  });
}

/** The start-up log line: which slicer quotes are verified with, or that they stay estimated and why. */
export function describeSlicer(info: SlicerInfo): string {
  if (info.available)
    return `slicer: ${info.name} ${info.version} (${info.path}), quotes are sliced in workers`;
  return `slicer: PrusaSlicer ${info.reason} at "${info.path}": quotes stay "estimated"; install it with \`${SLICER_INSTALL_HINT}\` (Debian) and restart`;
}
