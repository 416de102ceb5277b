import { defineConfig } from "vitest/config";

// One Vitest run over every workspace package; each folder is a project with its own optional config.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/testing"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
