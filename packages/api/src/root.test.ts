import { describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import { listProcedures } from "./testing/access.ts";

describe("app router", () => {
  it("declares an access tier on every procedure", () => {
    const missing = listProcedures(appRouter).filter((p) => p.access === undefined);
    expect(missing).toEqual([]);
  });
});
