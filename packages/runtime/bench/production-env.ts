/**
 * Imported first by the benchmarks that serve the app: the process runs as `pnpm start` runs it
 * (tooling/scripts/start.mjs sets NODE_ENV=production), so React and Express load their production
 * builds. Without it React rendered with its development build, several times slower.
 */
process.env.NODE_ENV ??= "production";
