import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRouteFiles, routesForPath } from "./routes.ts";

const dir = mkdtempSync(join(tmpdir(), "ktizo-routes-"));
for (const file of [
  "org.schedule.tsx",
  "org.schedule_.plan.tsx",
  "portal.$token.tsx",
  "portal.$token_.pay.$sessionId.tsx",
  "audit[.]csv.ts",
]) {
  writeFileSync(join(dir, file), "export default function Page() { return null; }\n");
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("route files and the URLs they serve", () => {
  it("a trailing underscore leaves the parent's layout and is not part of the URL", () => {
    const routes = readRouteFiles(dir);
    const [plan] = routesForPath(routes, "/org/schedule/plan");
    expect(plan?.file).toBe("org.schedule_.plan.tsx");
    expect(plan?.parents).toEqual([]);
    expect(routesForPath(routes, "/portal/abc/pay/cs_1").map((r) => r.file)).toEqual([
      "portal.$token_.pay.$sessionId.tsx",
    ]);
    expect(routesForPath(routes, "/audit.csv")[0]?.file).toBe("audit[.]csv.ts");
  });
});
