import { describe, expect, it } from "vitest";
import { createLogger, requestIdFor, routeLabel, withRequestScope } from "./log.ts";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = { write: (line: string) => lines.push(JSON.parse(line)) };
  return { lines, log: createLogger({ level: "info", destination }) };
}

describe("structured logs", () => {
  it("puts the request id on every line written inside the request, even after awaits", async () => {
    const { lines, log } = capture();
    await withRequestScope("req-12345678", async () => {
      log.info("first");
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.warn({ route: "/x" }, "second");
    });
    log.info("outside");
    expect(lines.map((l) => [l.msg, l.requestId, l.level])).toEqual([
      ["first", "req-12345678", "info"],
      ["second", "req-12345678", "warn"],
      ["outside", undefined, "info"],
    ]);
    expect(lines[0]).toMatchObject({ service: "ktizo" });
    expect(typeof lines[0]!.time).toBe("string");
  });

  it("never writes headers, cookies or bodies even when a caller passes them", () => {
    const { lines, log } = capture();
    log.info({ headers: { cookie: "s=1" }, body: "secret", req: { authorization: "Bearer x" } }, "m");
    expect(JSON.stringify(lines[0])).not.toMatch(/secret|Bearer|s=1/);
  });

  it("keeps a proxy's request id only when it looks like one", () => {
    expect(requestIdFor("abcd-1234-efgh")).toBe("abcd-1234-efgh");
    expect(requestIdFor(["abcd-1234-efgh", "x"])).toBe("abcd-1234-efgh");
    for (const bad of [undefined, "", "short", "has space in it", "x".repeat(65), "a\nb-12345678"]) {
      expect(requestIdFor(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("replaces ids and tokens in paths so logs and metric labels carry no secrets", () => {
    expect(routeLabel("/portal/pt_9f8a7b6c5d4e3f2a1b0c9d8e7f6a")).toBe("/portal/:id");
    expect(routeLabel("/orders/ord_1a2b3c4d?token=abc")).toBe("/orders/:id");
    expect(routeLabel("/org/jobs/42")).toBe("/org/jobs/:n");
    expect(routeLabel("/shops/acme-prints")).toBe("/shops/acme-prints");
    expect(routeLabel("/")).toBe("/");
  });
});
