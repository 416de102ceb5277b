/**
 * Preloaded (`--import`, after tsx) by the `bench:*` scripts that serve the app, before any module of it
 * loads, so the app runs as `pnpm start` runs it (plain `node`, NODE_ENV=production; start.mjs) and the
 * figures are production's. Plain JavaScript: the pool's worker threads preload it too, before tsx is
 * registered in them.
 * - NODE_ENV=production: React and Express load their production builds (React's development build
 *   rendered several times slower).
 * - No source maps: tsx turns on Node's source-map support, which parses and keeps the map of every
 *   module it loads (71 MB of the bench:upload process's 175 MB heap, in 390,000 arrays), and every
 *   full collection marks them; production keeps none. Turned off before the first module loads (a
 *   module's map is parsed when it loads, so later is too late).
 */
process.env.NODE_ENV ??= "production";
process.setSourceMapsEnabled(false);
