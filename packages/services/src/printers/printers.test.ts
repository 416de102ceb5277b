import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { createHttpPrinterReports, createOffPrinterReports } from "./http.ts";
import { PrinterUnreachableError } from "./types.ts";

const ORG = "org_printers";
const SECRET = "printer-test-secret-printer-test-secret";
let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const printers = createHttpPrinterReports({ appSecret: SECRET, timeoutMs: 2000 });

describe("Moonraker adapter", () => {
  it("asks /server/history/list with the API key and reports finished prints", async () => {
    server = await startLoopback((req) =>
      req.headers["x-api-key"] !== "klipper-key"
        ? { status: 401, body: { error: "Unauthorized" } }
        : {
            body: {
              result: {
                count: 3,
                jobs: [
                  {
                    job_id: "00000A",
                    filename: "benchy.gcode",
                    status: "in_progress",
                    start_time: 1_767_000_000,
                    end_time: null,
                    print_duration: 60,
                    filament_used: 100,
                  },
                  {
                    job_id: "000009",
                    filename: "benchy.gcode",
                    status: "completed",
                    start_time: 1_766_990_000,
                    end_time: 1_766_995_000,
                    print_duration: 4568.2,
                    total_duration: 4700,
                    filament_used: 4291.5,
                  },
                  {
                    job_id: "000008",
                    filename: "bracket.gcode",
                    status: "cancelled",
                    start_time: 1_766_900_000,
                    end_time: 1_766_900_600,
                    print_duration: 580,
                    filament_used: 120,
                  },
                ],
              },
            },
          },
    );
    const endpoint = {
      organizationId: ORG,
      kind: "moonraker" as const,
      url: `${server.url}/`,
      apiKeyCiphertext: printers.sealApiKey(ORG, "klipper-key"),
    };
    const jobs = await printers.finishedJobs(endpoint, { limit: 20 });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: "GET", path: "/server/history/list" });
    expect(Object.fromEntries(server.received[0]!.url.searchParams)).toEqual({ limit: "20", order: "desc" });
    expect(jobs).toEqual([
      {
        externalId: "000009",
        fileName: "benchy.gcode",
        status: "completed",
        startedAt: new Date(1_766_990_000_000),
        endedAt: new Date(1_766_995_000_000),
        printSeconds: 4568.2,
        filamentMm: 4291.5,
      },
      expect.objectContaining({ externalId: "000008", status: "cancelled", printSeconds: 580 }),
    ]);
    // The stored key is sealed to the organization: another organization's row cannot use it.
    await expect(printers.finishedJobs({ ...endpoint, organizationId: "org_other" })).rejects.toThrow();
    // A wrong key: the printer refuses, and the error says so.
    const wrong = { ...endpoint, apiKeyCiphertext: printers.sealApiKey(ORG, "nope") };
    await expect(printers.finishedJobs(wrong)).rejects.toMatchObject({ reason: "unauthorized" });
  });

  it("refuses an answer that is not Moonraker's", async () => {
    server = await startLoopback(() => ({ body: { result: { jobs: [{ job_id: 1 }] } } }));
    const endpoint = {
      organizationId: ORG,
      kind: "moonraker" as const,
      url: server.url,
      apiKeyCiphertext: null,
    };
    await expect(printers.finishedJobs(endpoint)).rejects.toMatchObject({ reason: "bad_response" });
    expect(server.received[0]!.headers["x-api-key"]).toBeUndefined();
  });
});

describe("OctoPrint adapter", () => {
  it("reads the current job's file and its last print from the file statistics", async () => {
    server = await startLoopback((req) => {
      if (req.headers["x-api-key"] !== "octo-key") return { status: 403, body: {} };
      if (req.path === "/octoprint/api/job") {
        return {
          body: {
            job: {
              file: { name: "big part.gcode", origin: "local", path: "shop/big part.gcode", date: 1 },
              estimatedPrintTime: 8811,
              filament: { tool0: { length: 810, volume: 5.36 } },
            },
            progress: { completion: 100, printTime: null, printTimeLeft: null },
            state: "Operational",
          },
        };
      }
      if (req.path === "/octoprint/api/files/local/shop/big%20part.gcode") {
        return {
          body: {
            name: "big part.gcode",
            path: "shop/big part.gcode",
            origin: "local",
            prints: {
              success: 4,
              failure: 0,
              last: { date: 1_766_995_000, printTime: 1300.5, success: true },
            },
            statistics: { averagePrintTime: { _default: 1300 }, lastPrintTime: { _default: 1300.5 } },
          },
        };
      }
      return { status: 404, body: {} };
    });
    const endpoint = {
      organizationId: ORG,
      kind: "octoprint" as const,
      url: `${server.url}/octoprint`,
      apiKeyCiphertext: printers.sealApiKey(ORG, "octo-key"),
    };
    const jobs = await printers.finishedJobs(endpoint);
    expect(server.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /octoprint/api/job",
      "GET /octoprint/api/files/local/shop/big%20part.gcode",
    ]);
    expect(server.received.every((r) => r.headers["x-api-key"] === "octo-key")).toBe(true);
    expect(jobs).toEqual([
      {
        externalId: "local/shop/big part.gcode@1766995000",
        fileName: "big part.gcode",
        status: "completed",
        startedAt: new Date(1_766_995_000_000 - 1_300_500),
        endedAt: new Date(1_766_995_000_000),
        printSeconds: 1300.5,
        filamentMm: null,
      },
    ]);
  });

  it("reports nothing when no file was printed yet", async () => {
    server = await startLoopback(() => ({
      body: { job: { file: { name: null, origin: null, path: null } }, state: "Operational" },
    }));
    const endpoint = {
      organizationId: ORG,
      kind: "octoprint" as const,
      url: server.url,
      apiKeyCiphertext: null,
    };
    expect(await printers.finishedJobs(endpoint)).toEqual([]);
    expect(server.received).toHaveLength(1);
  });
});

describe("an unreachable printer", () => {
  it("says so instead of failing in some other way", async () => {
    server = await startLoopback(() => ({ body: {} }));
    const url = server.url;
    await server.close();
    server = null;
    const endpoint = { organizationId: ORG, kind: "moonraker" as const, url, apiKeyCiphertext: null };
    const error = await printers.finishedJobs(endpoint).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrinterUnreachableError);
    expect(error).toMatchObject({ reason: "network", message: "The printer could not be reached" });
  });

  it("the stand-in without a secret refuses to store keys", async () => {
    const off = createOffPrinterReports();
    expect(() => off.sealApiKey(ORG, "k")).toThrow(/BETTER_AUTH_SECRET/);
    await expect(
      off.finishedJobs({
        organizationId: ORG,
        kind: "moonraker",
        url: "http://127.0.0.1:9",
        apiKeyCiphertext: null,
      }),
    ).rejects.toBeInstanceOf(PrinterUnreachableError);
  });
});
