#!/usr/bin/env node
// `pnpm test`: every check and every test, on a fresh clone, with no other command first.
//   1. install if needed   2. lint and typecheck   3. unit + integration tests on PGlite
//   4. the integration tests (*.db.test.ts) again on PostgreSQL when TEST_DATABASE_URL is set
//   5. build the apps, then browser tests in the system Chromium
//   6. the production servers as separate processes on PostgreSQL (scale-out and fault tests)
// A suite that cannot run here (no Chromium, no PostgreSQL) is skipped loudly; with CI=true that is a failure.
// Each step has a time limit, twice its usual time or more: a step still running then is reported with
// its processes and stopped, and the steps after it still run, so a hang says where it was instead of
// running the whole into CI's own limit.
// Plain Node with no dependencies so it runs before anything is installed.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
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

async function run(title, command, args, { env = {}, limitMinutes = 30 } = {}) {
  console.log(`\n━━━ ${title} ━━━`);
  const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  let overTime = false;
  const limit = setTimeout(() => {
    overTime = true;
    console.error(
      `\n*** ${title}: still running after ${limitMinutes} minutes; stopping it. Its processes: ***`,
    );
    for (const line of processTree(child.pid)) console.error(line);
    killTree(child.pid);
  }, limitMinutes * 60_000);
  const [code, signal] = await once(child, "exit").catch((error) => [null, error.message]);
  clearTimeout(limit);
  if (overTime) failures.push(`${title} (stopped after ${limitMinutes} minutes)`);
  else if (code !== 0) failures.push(`${title} (exit ${code ?? signal})`);
  return code === 0 && !overTime;
}

/** `ps` lines of `pid` and everything under it (what a hung step was waiting for). */
function processTree(pid) {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,etime=,time=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 6);
  const tree = new Set([String(pid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, parent] of rows) {
      if (tree.has(parent) && !tree.has(p)) {
        tree.add(p);
        grew = true;
      }
    }
  }
  return rows.filter(([p]) => tree.has(p)).map((cols) => cols.join(" ").slice(0, 240));
}

function killTree(pid) {
  for (const line of processTree(pid)) {
    try {
      process.kill(Number(line.split(" ")[0]), "SIGKILL");
    } catch {
      // already gone
    }
  }
}

async function vitest(title, args, { env = {}, limitMinutes } = {}) {
  const report = join(reports, `${title.replace(/\W+/g, "-")}.json`);
  await run(
    title,
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
    { env, limitMinutes },
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
  await run("install", "pnpm", ["install", "--frozen-lockfile"], { limitMinutes: 20 });
}

// Usual times on a 2-core machine like CI's, in minutes: lint and typecheck 2, PGlite 10, PostgreSQL 7,
// build 1, browser 19, processes 5.
await run("lint (biome)", bin("biome"), ["check", "."], { limitMinutes: 10 });
await run("typecheck", bin("turbo"), ["run", "typecheck", "--continue", "--output-logs=errors-only"], {
  limitMinutes: 15,
});

await vitest("unit and integration tests (PGlite)", [], { limitMinutes: 30 });

if (process.env.TEST_DATABASE_URL) {
  await vitest("integration tests (PostgreSQL)", [".db.test."], {
    env: { KTIZO_TEST_DB: "postgresql" },
    limitMinutes: 25,
  });
} else {
  skip("integration tests on PostgreSQL", "TEST_DATABASE_URL is not set");
}

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  skip("browser tests", `no Chromium at ${chromium} (install Debian's "chromium" or set CHROMIUM_PATH)`);
} else if (
  await run("build the apps for browser tests", bin("turbo"), ["run", "build", "--output-logs=errors-only"], {
    limitMinutes: 15,
  })
) {
  await vitest("browser tests (Chromium)", ["-c", "vitest.e2e.config.ts"], { limitMinutes: 40 });
  // Several production processes on one PostgreSQL, and the faults they must survive (issue 17).
  if (process.env.TEST_DATABASE_URL) {
    await vitest("processes on PostgreSQL (scale-out and faults)", ["-c", "vitest.ops.config.ts"], {
      limitMinutes: 20,
    });
  } else {
    skip("processes on PostgreSQL", "TEST_DATABASE_URL is not set");
  }
}

console.log("\n━━━ summary ━━━");
for (const line of skips) console.log(`*** ${line} ***`);
for (const line of failures) console.log(`FAILED: ${line}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 || totals.failed > 0 ? 1 : 0);
