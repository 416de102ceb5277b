export { startQueue } from "@ktizo/jobs";
export { type ChunkedResult, peakMemoryGrowth, sendChunked } from "./chunked.ts";
export { type DevHost, startDevHost } from "./dev-host.ts";
export { freePort } from "./ports.ts";
export { appsNotBuiltReason, startTestHost, type TestHost } from "./test-host.ts";
