import { defineConfig } from "vitest/config";
import { STALL_WATCHDOG } from "./tooling/testing/vitest-setup.ts";

// Browser tests: the built apps in one host process, driven by the system Chromium. One file at a time
// (two cores); each file starts its own host on free ports with a fresh database.
export default defineConfig({
  test: {
    name: "e2e",
    include: ["apps/*/test/**/*.e2e.test.ts", "packages/*/test/**/*.e2e.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    setupFiles: [STALL_WATCHDOG],
  },
});
