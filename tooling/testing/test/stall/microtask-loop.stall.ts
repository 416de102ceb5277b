// Run only by stall-watchdog.test.ts: awaits that never yield to timers or I/O (a query loop on an
// in-process database resolves each await as a microtask) starve the event loop just as a busy loop does.
import { it } from "vitest";

async function awaitForever(): Promise<void> {
  for (;;) await Promise.resolve();
}

it("awaits resolved promises forever", async () => {
  await awaitForever();
});
