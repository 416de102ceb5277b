/**
 * What the slicer package reads from the environment: only the search path, handed on to the programs
 * it runs (prusa-slicer, prlimit, unshare), which need no display, home or other settings.
 */
export function systemPath(): string {
  return process.env.PATH ?? "/usr/bin:/bin";
}
