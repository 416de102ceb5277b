#!/usr/bin/env node
// `pnpm start`: the production start of the built apps (after `pnpm build`). Settings come from the
// environment and are validated before anything listens: a missing one stops the start, named.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
for (const app of ["web", "admin"]) {
  if (!existsSync(join(root, `apps/${app}/build/server/index.js`))) {
    console.error(`[ktizo] apps/${app} is not built: run \`pnpm build\` first.`);
    process.exit(1);
  }
}
// `node --import tsx`, not the tsx CLI: the CLI's signal relay let SIGTERM end the server before
// requests in flight were answered (packages/runtime/test/processes.ops.test.ts).
const child = spawn(process.execPath, ["--import", "tsx", "packages/runtime/src/main.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
