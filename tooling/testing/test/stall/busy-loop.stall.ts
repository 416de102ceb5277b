// Run only by stall-watchdog.test.ts (its own Vitest config): a test whose event loop never turns again.
import { it } from "vitest";

function spinForever(): void {
  for (;;) {
    // a busy loop: no timer, not even Vitest's test timeout, can fire in this process
  }
}

it("never gives its event loop back", () => {
  spinForever();
});
