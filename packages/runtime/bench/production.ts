/**
 * Refuses to measure a process that was not started as `pnpm start` runs the app (see
 * production-env.mjs, which the `bench:*` scripts preload): `tsx bench/….ts` directly, say.
 */
export function assertRunsAsProduction(command: string): void {
  if (process.env.NODE_ENV !== "production" || process.sourceMapsEnabled) {
    throw new Error(
      `Run \`${command}\`: it preloads bench/production-env.mjs, so the app runs as \`pnpm start\` runs it.`,
    );
  }
}
