import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SeededDemo, seedDemo } from "@ktizo/api/demo";
import { startAppServer } from "../host.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import { loadSettings } from "../settings.ts";
import { freePort } from "./ports.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface TestHost {
  webUrl: string;
  adminUrl: string;
  runtime: Runtime;
  demo: SeededDemo;
  close(): Promise<void>;
}

/** Why browser tests cannot run: the apps must be built first (the test command does it). */
export function appsNotBuiltReason(): string | null {
  const missing = [
    "apps/web/build/server/index.js",
    "apps/admin/build/server/index.js",
    "packages/runtime/dist/main.js",
  ].filter((file) => !existsSync(join(repoRoot, file)));
  return missing.length ? `not built (${missing.join(", ")}): run \`pnpm build\`` : null;
}

/**
 * The whole product in this process for browser tests: the built web app and admin console on free
 * loopback ports, a fresh embedded database with the demo seed, local service stand-ins.
 */
export async function startTestHost(env: Record<string, string> = {}): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), "ktizo-e2e-"));
  const [port, adminPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${port}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const settings = loadSettings({
    NODE_ENV: "test",
    PORT: String(port),
    ADMIN_PORT: String(adminPort),
    KTIZO_DATA_DIR: dataDir,
    BETTER_AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
    BETTER_AUTH_URL: webUrl,
    AUTH_TRUSTED_ORIGINS: adminUrl,
    ...env,
  });
  const runtime = await createRuntime(settings);
  const demo = await seedDemo(runtime.db, runtime.clock);
  const common = { host: "127.0.0.1", runtime, dev: false } as const;
  const web = await startAppServer({ ...common, name: "web", root: join(repoRoot, "apps/web"), port });
  const admin = await startAppServer({
    ...common,
    name: "admin",
    root: join(repoRoot, "apps/admin"),
    port: adminPort,
  });
  return {
    webUrl,
    adminUrl,
    runtime,
    demo,
    close: async () => {
      await Promise.allSettled([web.close(), admin.close()]);
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
