import { defineConfig } from "vitest/config";
import { STALL_WATCHDOG } from "./tooling/testing/vitest-setup.ts";

// Scale-out and fault tests: the production servers (built apps) as separate OS processes on a
// PostgreSQL server (TEST_DATABASE_URL). One file at a time; each starts its own processes.
export default defineConfig({
  test: {
    name: "ops",
    include: ["packages/*/test/**/*.ops.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 300_000,
    setupFiles: [STALL_WATCHDOG],
  },
});
