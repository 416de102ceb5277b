import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const reports = mkdtempSync(join(tmpdir(), "ktizo-stall-"));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

/** Runs the stalled files (test/stall) in a Vitest of their own; kills it if it has not ended in 45 s. */
function runStalledFiles(): Promise<{ code: number | null; output: string; hung: boolean }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
  const child = spawn(
    join(root, "node_modules/.bin/vitest"),
    [
      "run",
      "-c",
      "tooling/testing/test/stall/vitest.stall.config.ts",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${join(reports, "report.json")}`,
    ],
    { cwd: root, env: { ...env, KTIZO_TEST_STALL_SECONDS: "3", NO_COLOR: "1" } },
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, 45_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, output, hung });
    });
  });
}

it("turns a test whose event loop never turns again into a failed file with its stack, and the run goes on", async () => {
  const { code, output, hung } = await runStalledFiles();
  // Without the watchdog neither stalled file ever ends, and neither does the run.
  expect(hung).toBe(false);
  expect(code).toBe(1);
  const reportsFor = (file: string) =>
    output
      .split("\n[stall-watchdog] ")
      .filter((part) => part.startsWith(join(root, "tooling/testing/test/stall", file)));
  // A busy loop: the stack names the function that spins.
  expect(reportsFor("busy-loop.stall.ts").join("\n")).toMatch(
    /at spinForever \(file:\/\/.*busy-loop\.stall\.ts:\d+/,
  );
  // Awaits that never yield to a timer: the stack (with its awaits) names the looping function.
  expect(reportsFor("microtask-loop.stall.ts").join("\n")).toMatch(
    /at awaitForever \(file:\/\/.*microtask-loop\.stall\.ts:\d+/,
  );
  expect(output.match(/killing the test process so the run goes on/g)).toHaveLength(2);
  // The file after them still runs and passes.
  const report = JSON.parse(readFileSync(join(reports, "report.json"), "utf8")) as {
    testResults: { name: string; assertionResults: { status: string }[] }[];
  };
  const healthy = report.testResults.find((r) => r.name.endsWith("healthy.stall.ts"));
  expect(healthy?.assertionResults.map((a) => a.status)).toEqual(["passed"]);
  expect(existsSync(join(reports, "report.json"))).toBe(true);
});
