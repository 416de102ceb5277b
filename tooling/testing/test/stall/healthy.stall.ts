// Run only by stall-watchdog.test.ts: a file that must still run and pass after the stalled ones.
import { expect, it } from "vitest";

it("passes after the stalled files", async () => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(1 + 1).toBe(2);
});
