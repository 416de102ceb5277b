// Worker bootstrap when the package runs from TypeScript source (Vitest, tsx): register tsx's loader in
// this thread, then load the TypeScript worker. A compiled build points the pool at worker.js directly.
import { workerData } from "node:worker_threads";

const { register } = await import(workerData.tsxApi);
register();
await import(workerData.worker);
