import { defineConfig } from "vitest/config";
import { STALL_WATCHDOG } from "../../vitest-setup.ts";

// The stalled files of stall-watchdog.test.ts, one at a time as in the browser pass, the stalled ones first.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.stall.ts"],
    fileParallelism: false,
    sequence: { shuffle: false },
    setupFiles: [STALL_WATCHDOG],
  },
});
