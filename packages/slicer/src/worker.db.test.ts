import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createLocalDiskStorage, type StorageService, systemClock } from "@ktizo/services";
import { requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binaryStl, box, hostile3mf } from "../test/models.ts";
import { detectSlicer } from "./detect.ts";
import { sliceUploadsJob } from "./job.ts";
import { claimNextUpload, type SliceDeps, STALE_AFTER_MS, sliceUpload } from "./worker.ts";

const info = await detectSlicer();
let handle: DbHandle;
let storage: StorageService;
let dataDir: string;
let deps: SliceDeps;
const printers = {
  fdm: "prn_fdm",
  resin: "prn_resin",
  powder: "prn_powder",
  offline: "prn_off",
  unlisted: "prn_unl",
};

async function shop(id: string, listed: boolean) {
  await handle.db.insertInto("organization").values({ id, name: id, slug: id }).execute();
  await handle.db.insertInto("shopSettings").values({ organizationId: id, listed }).execute();
}

async function printer(
  id: string,
  org: string,
  technology: "fdm" | "resin" | "powder",
  size: number[],
  status = "available",
) {
  await handle.db
    .insertInto("printer")
    .values({
      id,
      organizationId: org,
      name: id,
      technology,
      buildWidthMm: size[0]!,
      buildDepthMm: size[1]!,
      buildHeightMm: size[2]!,
      layerHeightsMm: JSON.stringify(technology === "resin" ? [0.05, 0.1] : [0.1, 0.3]),
      nozzleMm: technology === "fdm" ? 0.4 : null,
      hourlyRateMinor: 100,
      status: status as "available",
    })
    .execute();
}

async function upload(
  bytes: Uint8Array<ArrayBuffer>,
  fileName = "part.stl",
  createdAt = new Date(),
): Promise<string> {
  const stored = await storage.put({ bytes, contentType: "model/stl", fileName });
  const id = newId("upl");
  await handle.db
    .insertInto("modelUpload")
    .values({
      id,
      userId: null,
      uploadSessionId: "session",
      storageKey: stored.key,
      fileName,
      contentType: "model/stl",
      sizeBytes: stored.size,
      analysis: JSON.stringify({ units: "millimeter" }),
      createdAt,
    })
    .execute();
  return id;
}

const slicesOf = (uploadId: string) =>
  handle.db
    .selectFrom("modelSlice")
    .selectAll()
    .where("uploadId", "=", uploadId)
    .orderBy("printerId")
    .execute();

beforeAll(async () => {
  handle = await createTestDb();
  dataDir = mkdtempSync(join(tmpdir(), "ktizo-slicer-db-"));
  storage = createLocalDiskStorage({ dataDir, maxBytes: 10 * 1024 * 1024 });
  deps = { db: handle.db, storage, clock: systemClock, slicer: info };
  await shop("org_listed", true);
  await shop("org_hidden", false);
  await printer(printers.fdm, "org_listed", "fdm", [250, 210, 210]);
  await printer(printers.resin, "org_listed", "resin", [120, 68, 150]);
  await printer(printers.powder, "org_listed", "powder", [300, 300, 300]);
  await printer(printers.offline, "org_listed", "fdm", [250, 210, 210], "offline");
  await printer(printers.unlisted, "org_hidden", "fdm", [250, 210, 210]);
});
afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("claiming uploads for slicing", () => {
  it("hands each waiting upload of the last day to one worker, oldest first", async () => {
    const now = new Date();
    const old = await upload(binaryStl(box(5, 5, 5)), "old.stl", new Date(now.getTime() - 2 * 86_400_000));
    const first = await upload(binaryStl(box(5, 5, 5)), "a.stl", new Date(now.getTime() - 2000));
    const second = await upload(binaryStl(box(5, 5, 5)), "b.stl", new Date(now.getTime() - 1000));
    const claimed = await Promise.all([claimNextUpload(handle.db, now), claimNextUpload(handle.db, now)]);
    expect(claimed.sort()).toEqual([first, second].sort());
    expect(await claimNextUpload(handle.db, now)).toBeNull();
    const row = await handle.db
      .selectFrom("modelUpload")
      .select("sliceQueuedAt")
      .where("id", "=", old)
      .executeTakeFirstOrThrow();
    expect(row.sliceQueuedAt).toBeNull();
  });

  it("takes an upload again, once, when the worker that claimed it died mid-slice; never a finished one", async () => {
    const t0 = new Date();
    const abandoned = await upload(binaryStl(box(5, 5, 5)), "abandoned.stl", new Date(t0.getTime() - 500));
    const finished = await upload(binaryStl(box(5, 5, 5)), "finished.stl", new Date(t0.getTime() - 400));
    const claimAll = async (now: Date) => {
      const ids: string[] = [];
      for (let id = await claimNextUpload(handle.db, now); id; id = await claimNextUpload(handle.db, now))
        ids.push(id);
      return ids;
    };
    expect(await claimAll(t0)).toEqual(expect.arrayContaining([abandoned, finished]));
    const slice = (uploadId: string, status: "running" | "sliced") =>
      handle.db
        .insertInto("modelSlice")
        .values({
          id: newId("slc"),
          uploadId,
          printerId: printers.fdm,
          organizationId: "org_listed",
          status,
          meshHash: "m",
          profileHash: "p",
          profileVersion: 1,
          slicerName: "PrusaSlicer",
          slicerVersion: "2.5.0",
          startedAt: t0,
          finishedAt: status === "running" ? null : t0,
          printSeconds: status === "sliced" ? 600 : null,
        })
        .execute();
    // The worker on `abandoned` was killed while slicing; `finished` was sliced.
    await slice(abandoned, "running");
    await slice(finished, "sliced");

    // Within the stale period nobody takes either again.
    expect(await claimAll(new Date(t0.getTime() + STALE_AFTER_MS - 1000))).not.toContain(abandoned);
    // After it, two workers race for it and one wins; the finished upload stays done.
    const later = new Date(t0.getTime() + STALE_AFTER_MS + 1000);
    const raced = await Promise.all([claimNextUpload(handle.db, later), claimNextUpload(handle.db, later)]);
    const rest = await claimAll(later);
    const all = [...raced, ...rest].filter(Boolean);
    expect(all.filter((id) => id === abandoned)).toHaveLength(1);
    expect(all).not.toContain(finished);
    expect(await claimAll(later)).toEqual([]);
  });

  it("does nothing without a slicer (quotes stay estimated)", async () => {
    const id = await upload(binaryStl(box(10, 10, 5)));
    const report = await sliceUpload(
      { ...deps, slicer: { available: false, path: "prusa-slicer", reason: "not installed" } },
      id,
    );
    expect(report).toEqual({ sliced: 0, cached: 0, failed: 0, skipped: 0 });
    expect(await slicesOf(id)).toEqual([]);
  });
});

describe.runIf(
  requireOrSkip(
    "slicer worker tests",
    info.available ? null : `prusa-slicer ${"reason" in info ? info.reason : ""}`,
  ),
)("slicing uploads for every listed printer profile", () => {
  it("stores one slice per listed FDM and resin printer, with the slicer, profile and figures", async () => {
    const id = await upload(binaryStl(box(10, 10, 5)));
    const report = await sliceUpload(deps, id);
    expect(report).toEqual({ sliced: 2, cached: 0, failed: 0, skipped: 0 });
    const rows = await slicesOf(id);
    expect(rows.map((r) => r.printerId)).toEqual([printers.fdm, printers.resin]);
    for (const row of rows) {
      expect(row).toMatchObject({
        status: "sliced",
        organizationId: "org_listed",
        slicerName: "PrusaSlicer",
        slicerVersion: info.available ? info.version : "",
        profileVersion: 1,
        exitCode: 0,
        errorClass: null,
        cached: false,
      });
      expect(row.printSeconds).toBeGreaterThan(0);
      expect(row.filamentG).toBeGreaterThan(0);
      expect(row.layers).toBeGreaterThan(0);
      expect(row.wallMs).toBeGreaterThan(0);
      expect(row.peakMemoryBytes).toBeGreaterThan(0);
      expect(row.finishedAt).not.toBeNull();
    }
    const fdm = rows[0]!;
    const roles = Object.values(fdm.perRole).reduce((s, r) => s + r.mm, 0);
    expect(Math.abs(roles - fdm.filamentMm!)).toBeLessThanOrEqual(0.01);
    expect(rows[1]!.filamentMm).toBeNull();

    // Again: every printer is already claimed for this model, profile and slicer version.
    expect(await sliceUpload(deps, id)).toEqual({ sliced: 0, cached: 0, failed: 0, skipped: 2 });

    // A worker that died mid-slice left a row "running": taken over once it is stale, not before.
    await handle.db
      .updateTable("modelSlice")
      .set({ status: "running", printSeconds: null, filamentG: null })
      .where("uploadId", "=", id)
      .where("printerId", "=", printers.fdm)
      .execute();
    expect(await sliceUpload(deps, id)).toMatchObject({ skipped: 2 });
    await handle.db
      .updateTable("modelSlice")
      .set({ startedAt: new Date(Date.now() - STALE_AFTER_MS - 1000) })
      .where("uploadId", "=", id)
      .where("printerId", "=", printers.fdm)
      .execute();
    expect(await sliceUpload(deps, id)).toEqual({ sliced: 1, cached: 0, failed: 0, skipped: 1 });
    expect((await slicesOf(id)).map((r) => r.status)).toEqual(["sliced", "sliced"]);
  });

  it("slices the same mesh once per profile: a second upload of it, placed elsewhere, is copied", async () => {
    const id = await upload(binaryStl(box(12, 12, 6)));
    expect(await sliceUpload(deps, id)).toEqual({ sliced: 2, cached: 0, failed: 0, skipped: 0 });
    const again = await upload(binaryStl(box(12, 12, 6, [40, 40, 3])));
    expect(await sliceUpload(deps, again)).toEqual({ sliced: 0, cached: 2, failed: 0, skipped: 0 });
    const figures = (rows: Awaited<ReturnType<typeof slicesOf>>) =>
      rows.map((r) => [r.meshHash, r.profileHash, r.printSeconds, r.filamentG, r.layers]);
    const copy = await slicesOf(again);
    expect(copy.map((r) => r.cached)).toEqual([true, true]);
    expect(figures(copy)).toEqual(figures(await slicesOf(id)));
  });

  it("stores classified failures: too large for the bed, unreadable; a hostile 3MF's command never runs", async () => {
    const big = await upload(binaryStl(box(260, 20, 20)));
    expect(await sliceUpload(deps, big)).toEqual({ sliced: 0, cached: 0, failed: 2, skipped: 0 });
    expect((await slicesOf(big)).map((r) => [r.status, r.errorClass, r.exitCode])).toEqual([
      ["failed", "does_not_fit", null],
      ["failed", "does_not_fit", null],
    ]);
    const garbage = await upload(new TextEncoder().encode("solid x\nfacet normal 0 0 1\nnot a vertex\n"));
    await sliceUpload(deps, garbage);
    expect((await slicesOf(garbage)).map((r) => r.errorClass)).toEqual(["unreadable", "unreadable"]);

    const marker = join(dataDir, "pwned");
    const hostile = await upload(hostile3mf(box(11, 9, 5), `touch ${marker}`), "hostile.3mf");
    await sliceUpload(deps, hostile);
    expect(existsSync(marker)).toBe(false);
    const rows = await slicesOf(hostile);
    expect(rows.map((r) => [r.status, r.cached])).toEqual([
      ["sliced", false],
      ["sliced", false],
    ]);
  });

  it("the scheduled job slices waiting uploads and ends when the worker stops", async () => {
    // Only the new upload waits (the others above were sliced directly).
    await handle.db.updateTable("modelUpload").set({ sliceQueuedAt: new Date() }).execute();
    const id = await upload(binaryStl(box(8, 8, 4)));
    const stopping = new AbortController();
    setTimeout(() => stopping.abort(), 500);
    await sliceUploadsJob.run(
      {},
      { db: handle.db, services: { storage }, clock: systemClock, slicer: info, stopping: stopping.signal },
    );
    expect((await slicesOf(id)).map((r) => r.status)).toEqual(["sliced", "sliced"]);
    const row = await handle.db
      .selectFrom("modelUpload")
      .select("sliceQueuedAt")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.sliceQueuedAt).not.toBeNull();
  });
});
