import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { STALL_WATCHDOG } from "./tooling/testing/vitest-setup.ts";

// One Vitest run over every workspace package. Each package is a project that inherits these options
// (`extends: true`); a package may add its own vitest.config.ts for more.
const packageDirs = ["apps", "packages", "tooling"].flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(group, d.name, "package.json")))
    .map((d) => join(group, d.name)),
);

export default defineConfig({
  test: {
    // bcrypt at cost 12 and PGlite start-up are slow on 2 cores; tests never assert on time.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A test process whose event loop stops turning fails with its stack, instead of hanging the run.
    setupFiles: [STALL_WATCHDOG],
    projects: packageDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split("/")[1],
        root: dir,
        include: [
          "src/**/*.test.ts",
          "src/**/*.test.tsx",
          "test/**/*.test.ts",
          "app/**/*.test.ts",
          "app/**/*.test.tsx",
        ],
        exclude: ["**/node_modules/**", "**/build/**", "**/*.e2e.test.ts", "**/*.ops.test.ts"],
      },
    })),
  },
});
