#!/usr/bin/env node
// `pnpm dev`: installs what is missing, then starts web + admin + background work in one process
// (migrations and demo seed run at start). Plain Node with no dependencies, so it runs on a fresh clone.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(root);

if (
  !existsSync(join(root, "node_modules/.modules.yaml")) ||
  !existsSync(join(root, "node_modules/.bin/tsx"))
) {
  console.log("[ktizo] installing dependencies (first run)…");
  const install = spawnSync("pnpm", ["install", "--frozen-lockfile"], { stdio: "inherit" });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const child = spawn(join(root, "node_modules/.bin/tsx"), ["packages/runtime/src/main.ts", "--dev"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "development" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
