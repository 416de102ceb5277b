#!/usr/bin/env node
// `pnpm start` (web app + admin console) and `pnpm worker` (background work): the production start of the
// compiled build (after `pnpm build`). Plain `node` runs the JavaScript in each package's dist/; the
// `ktizo-compiled` export condition points every workspace import there (sources stay for tsx, Vitest,
// Vite). Settings come from the environment and are validated before anything listens.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const kind = process.argv[2] === "worker" ? "worker" : "web";
const entry = `packages/runtime/dist/${kind === "worker" ? "worker-main" : "main"}.js`;
const needed = [
  entry,
  ...(kind === "web" ? ["apps/web/build/server/index.js", "apps/admin/build/server/index.js"] : []),
];
for (const file of needed) {
  if (!existsSync(join(root, file))) {
    console.error(`[ktizo] ${file} is missing: run \`pnpm build\` first.`);
    process.exit(1);
  }
}
// One child running node itself (no CLI wrapper between it and the signals): SIGTERM reaches the server,
// which drains requests and jobs in flight (packages/runtime/test/processes.ops.test.ts).
const COMPILED_NODE_ARGS = ["--conditions=ktizo-compiled"];
const child = spawn(process.execPath, [...COMPILED_NODE_ARGS, entry], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
