/**
 * Decides whether a suite that needs an outside tool (Chromium, PostgreSQL) runs.
 * Returns true when it can run. When it cannot, the skip is announced loudly on stderr and,
 * under CI=true, becomes a failure: CI must run every suite.
 */
export function requireOrSkip(suite: string, reason: string | null): boolean {
  if (reason === null) return true;
  if (process.env.CI === "true") {
    throw new Error(`${suite} cannot run on CI: ${reason}`);
  }
  process.stderr.write(`\n*** SKIPPED ${suite}: ${reason} ***\n\n`);
  return false;
}
