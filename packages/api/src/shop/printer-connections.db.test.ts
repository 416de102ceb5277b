import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createHttpPrinterReports, fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoopback } from "../testing/loopback.ts";
import { printedJob, walkInCustomer } from "../testing/print-history.ts";
import { type ShopFixture, shopFixture, T0 } from "../testing/shop-fixtures.ts";
import { getCalibration } from "./calibration.ts";
import {
  listPrinterConnections,
  pollPrinters,
  removePrinterConnection,
  setPrinterConnection,
} from "./printer-connections.ts";

// Issue 14, requirement 7: a printer's own reports (Moonraker here, on a loopback server that checks
// the requests) are polled, stored once, matched to the job they printed and used as its actual time;
// an unreachable printer says so and nothing else breaks.
let handle: DbHandle;
let shop: ShopFixture;
let moonraker: Awaited<ReturnType<typeof startLoopback>>;
let deadUrl = "";
let jobId = "";
const printers = createHttpPrinterReports({
  appSecret: "connections-test-secret-0123456789",
  timeoutMs: 2000,
});
const START = Math.floor(T0.getTime() / 1000) + 3600;

beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Connected Prints");
  moonraker = await startLoopback((req) =>
    req.path !== "/server/history/list" || req.headers["x-api-key"] !== "klipper-secret-key"
      ? { status: 401, body: {} }
      : {
          body: {
            result: {
              count: 2,
              jobs: [
                {
                  job_id: "0000A1",
                  filename: "bracket.gcode",
                  status: "completed",
                  start_time: START,
                  end_time: START + 5000,
                  print_duration: 4800,
                  filament_used: 4000,
                },
                {
                  job_id: "0000A0",
                  filename: "test.gcode",
                  status: "cancelled",
                  start_time: START - 20_000,
                  end_time: START - 19_000,
                  print_duration: 900,
                  filament_used: 10,
                },
              ],
            },
          },
        },
  );
  const dead = await startLoopback(() => ({ body: {} }));
  deadUrl = dead.url;
  await dead.close();
  // A job on the connected printer that went to "printing" two minutes after the printer started.
  jobId = await printedJob(handle.db, {
    organizationId: shop.organizationId,
    customerId: await walkInCustomer(handle.db, shop.organizationId),
    number: 501,
    printerId: shop.printerId,
    materialId: shop.plaId,
    estimateMinutes: 60,
    printingAt: new Date((START + 120) * 1000),
    actualMinutes: 148,
  });
});
afterAll(async () => {
  await moonraker?.close();
  await handle.close();
});

describe("printer connections", () => {
  it("stores the API key sealed and never answers with it", async () => {
    const list = await setPrinterConnection(
      handle.db,
      printers,
      shop.actor,
      {
        printerId: shop.printerId,
        kind: "moonraker",
        url: `${moonraker.url}/`,
        apiKey: "klipper-secret-key",
      },
      T0,
    );
    expect(list).toEqual([
      expect.objectContaining({
        printerId: shop.printerId,
        url: moonraker.url,
        hasApiKey: true,
        lastError: null,
      }),
    ]);
    expect(JSON.stringify(list)).not.toContain("klipper-secret-key");
    const row = await handle.db
      .selectFrom("printerConnection")
      .select("apiKeyCiphertext")
      .where("printerId", "=", shop.printerId)
      .executeTakeFirstOrThrow();
    expect(row.apiKeyCiphertext).not.toContain("klipper-secret-key");
    const audit = await handle.db
      .selectFrom("auditLog")
      .select("data")
      .where("action", "=", "printer.connection_set")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.data)).not.toContain("klipper-secret-key");
  });

  it("refuses addresses that are not plain http(s) and another shop's printer, changing nothing", async () => {
    for (const url of [
      "ftp://printer.local",
      "http://user:pw@printer.local",
      "http://printer.local/?a=1",
      "nope",
    ]) {
      await expect(
        setPrinterConnection(
          handle.db,
          printers,
          shop.actor,
          { printerId: shop.resinPrinterId, kind: "octoprint", url },
          T0,
        ),
      ).rejects.toThrow();
    }
    const other = await shopFixture(handle.db, "Other Shop");
    await expect(
      setPrinterConnection(
        handle.db,
        printers,
        shop.actor,
        { printerId: other.printerId, kind: "moonraker", url: "http://10.0.0.2:7125" },
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      removePrinterConnection(handle.db, other.actor, { printerId: shop.printerId }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listPrinterConnections(handle.db, shop.organizationId)).toHaveLength(1);
    expect(await listPrinterConnections(handle.db, other.organizationId)).toEqual([]);
  });

  it("polls: stores each finished print once, matches it to its job, and an unreachable printer says so", async () => {
    await setPrinterConnection(
      handle.db,
      printers,
      shop.actor,
      { printerId: shop.resinPrinterId, kind: "octoprint", url: deadUrl, apiKey: "octo" },
      T0,
    );
    const clock = fixedClock(new Date(T0.getTime() + 86_400_000));
    const first = await pollPrinters(handle.db, printers, clock);
    expect(first).toEqual({ polled: 2, unreachable: 1, stored: 2, matched: 1 });
    expect(moonraker.received.at(-1)).toMatchObject({ method: "GET", path: "/server/history/list" });
    expect(moonraker.received.at(-1)!.headers["x-api-key"]).toBe("klipper-secret-key");
    const again = await pollPrinters(handle.db, printers, clock);
    expect(again).toEqual({ polled: 2, unreachable: 1, stored: 0, matched: 0 });

    const list = await listPrinterConnections(handle.db, shop.organizationId);
    const byPrinter = Object.fromEntries(list.map((c) => [c.printerId, c]));
    expect(byPrinter[shop.printerId]).toMatchObject({ lastError: null, reports: 2, matched: 1 });
    expect(byPrinter[shop.printerId]!.lastOkAt).toEqual(clock.now());
    expect(byPrinter[shop.resinPrinterId]).toMatchObject({
      lastError: "The printer could not be reached",
      lastOkAt: null,
      reports: 0,
    });
    const report = await handle.db
      .selectFrom("printerReport")
      .select(["jobId", "status"])
      .where("externalId", "=", "0000A1")
      .executeTakeFirstOrThrow();
    expect(report).toEqual({ jobId, status: "completed" });
  });

  it("calibration uses the printer's own time and filament for the matched job", async () => {
    const view = await getCalibration(handle.db, shop.organizationId);
    const point = view.groups.flatMap((g) => g.points).find((p) => p.jobNumber === 501);
    // 4800 s printing as the printer measured it (the status history says 148 min).
    expect(point).toMatchObject({ source: "printer", actualMinutes: 80, estimateMinutes: 60 });
    // 4000 mm of 1.75 mm filament is 9.62 cm³; PLA's density gives the grams.
    const pla = await handle.db
      .selectFrom("material")
      .select("densityGramsPerCm3")
      .where("id", "=", shop.plaId)
      .executeTakeFirstOrThrow();
    const cm3 = (4000 * Math.PI * 0.875 ** 2) / 1000;
    expect(point!.actualGrams).toBeCloseTo(cm3 * Number(pla.densityGramsPerCm3), 0);
  });

  it("a removed connection is no longer polled", async () => {
    await removePrinterConnection(handle.db, shop.actor, { printerId: shop.resinPrinterId });
    const result = await pollPrinters(handle.db, printers, fixedClock(T0));
    expect(result.polled).toBe(1);
    expect(result.unreachable).toBe(0);
  });
});
