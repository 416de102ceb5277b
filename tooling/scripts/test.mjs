#!/usr/bin/env node
// `pnpm test`: every check and every test, on a fresh clone, with no other command first.
//   1. install if needed   2. lint and typecheck   3. unit + integration tests on PGlite
//   4. the integration tests (*.db.test.ts) again on PostgreSQL when TEST_DATABASE_URL is set
//   5. build the apps, then browser tests in the system Chromium
//   6. the production servers as separate processes on PostgreSQL (scale-out and fault tests)
// A suite that cannot run here (no Chromium, no PostgreSQL) is skipped loudly; with CI=true that is a failure.
// Plain Node with no dependencies so it runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(root);
const ci = process.env.CI === "true";
// No usage telemetry from the build tools (P17).
process.env.TURBO_TELEMETRY_DISABLED = "1";
process.env.DO_NOT_TRACK = "1";
const bin = (name) => join(root, "node_modules/.bin", name);
const reports = mkdtempSync(join(tmpdir(), "ktizo-test-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const skips = [];

function run(title, command, args, env = {}) {
  console.log(`\n━━━ ${title} ━━━`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) failures.push(`${title} (exit ${result.status ?? result.signal})`);
  return result.status === 0;
}

function vitest(title, args, env = {}) {
  const report = join(reports, `${title.replace(/\W+/g, "-")}.json`);
  run(
    title,
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
    env,
  );
  if (!existsSync(report)) return;
  const json = JSON.parse(readFileSync(report, "utf8"));
  totals.passed += json.numPassedTests ?? 0;
  totals.failed += json.numFailedTests ?? 0;
  totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
}

function skip(suite, reason) {
  const line = `SKIPPED ${suite}: ${reason}`;
  console.error(`\n*** ${line} ***`);
  if (ci) failures.push(`${line} (CI=true: every suite must run)`);
  else skips.push(line);
}

if (!existsSync(join(root, "node_modules/.modules.yaml"))) {
  run("install", "pnpm", ["install", "--frozen-lockfile"]);
}

run("lint (biome)", bin("biome"), ["check", "."]);
run("typecheck", bin("turbo"), ["run", "typecheck", "--continue", "--output-logs=errors-only"]);

vitest("unit and integration tests (PGlite)", []);

if (process.env.TEST_DATABASE_URL) {
  vitest("integration tests (PostgreSQL)", [".db.test."], { KTIZO_TEST_DB: "postgresql" });
} else {
  skip("integration tests on PostgreSQL", "TEST_DATABASE_URL is not set");
}

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  skip("browser tests", `no Chromium at ${chromium} (install Debian's "chromium" or set CHROMIUM_PATH)`);
} else if (
  run("build the apps for browser tests", bin("turbo"), ["run", "build", "--output-logs=errors-only"])
) {
  vitest("browser tests (Chromium)", ["-c", "vitest.e2e.config.ts"]);
  // Several production processes on one PostgreSQL, and the faults they must survive (issue 17).
  if (process.env.TEST_DATABASE_URL) {
    vitest("processes on PostgreSQL (scale-out and faults)", ["-c", "vitest.ops.config.ts"]);
  } else {
    skip("processes on PostgreSQL", "TEST_DATABASE_URL is not set");
  }
}

console.log("\n━━━ summary ━━━");
for (const line of skips) console.log(`*** ${line} ***`);
for (const line of failures) console.log(`FAILED: ${line}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 || totals.failed > 0 ? 1 : 0);
