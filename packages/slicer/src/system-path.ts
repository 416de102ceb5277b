/**
 * The search path handed on to the programs the slicer runs (prusa-slicer, prlimit, unshare), which need
 * no display, home or other settings: the one thing this package reads from the environment.
 */
export function systemPath(): string {
  // biome-ignore lint/style/noProcessEnv: PATH is passed through to child processes, not a setting
  return process.env.PATH ?? "/usr/bin:/bin";
}
