import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./ports.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface DevHost {
  webUrl: string;
  adminUrl: string;
  /** Everything the process printed so far (for a failing test's message). */
  output(): string;
  close(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pnpm dev exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer /healthz`);
}

/**
 * Starts the product exactly as `pnpm dev` does (`tooling/scripts/dev.mjs`: Vite dev servers for both
 * apps, embedded PGlite, migrations, demo seed, background work) on free ports with a fresh data folder
 * and no settings beyond the ports, and waits until both apps answer.
 */
export async function startDevHost(): Promise<DevHost> {
  const dataDir = mkdtempSync(join(tmpdir(), "ktizo-dev-"));
  const [port, adminPort] = [await freePort(), await freePort()];
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    ADMIN_PORT: String(adminPort),
    KTIZO_DATA_DIR: dataDir,
  };
  // The test runner's own environment must not leak into the app under test.
  for (const key of ["NODE_ENV", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID", "TEST", "DATABASE_URL"]) {
    delete env[key];
  }
  const child = spawn(process.execPath, [join(repoRoot, "tooling/scripts/dev.mjs")], {
    cwd: repoRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout?.on("data", (chunk) => {
    log += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    log += String(chunk);
  });
  const webUrl = `http://localhost:${port}`;
  const adminUrl = `http://localhost:${adminPort}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid as number;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // The whole process group: dev.mjs and the host it started.
      process.kill(-pid, "SIGTERM");
      const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 240_000;
    await waitForHealth(webUrl, child, deadline);
    await waitForHealth(adminUrl, child, deadline);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return { webUrl, adminUrl, output: () => log, close };
}
