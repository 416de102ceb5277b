import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listedShop, marketplaceServices, T0, uploadTestBox } from "../testing/marketplace-fixtures.ts";
import { shopFixture } from "../testing/shop-fixtures.ts";
import { slicePreview } from "./slice-preview.ts";

// Issue 14, requirement 5: the shop's pricing preview shows the estimate and the slice side by side.
let handle: DbHandle;
let shop: Awaited<ReturnType<typeof listedShop>>;
let uploadId: string;

beforeAll(async () => {
  handle = await createTestDb();
  shop = await listedShop(handle.db, "Preview Prints", "preview-prints");
  const env = marketplaceServices(handle.db);
  const upload = await uploadTestBox(
    handle.db,
    env.services.storage,
    { userId: shop.owner.userId },
    "cube.stl",
    [20, 20, 20],
  );
  uploadId = upload.id;
});
afterAll(() => handle.close());

const preview = (over: Partial<Parameters<typeof slicePreview>[3]> = {}, userId = shop.owner.userId) =>
  slicePreview(handle.db, shop.organizationId, userId, {
    uploadId,
    materialId: shop.plaId,
    printerId: shop.printerId,
    quantity: 10,
    ...over,
  });

describe("pricing preview: estimate and slice side by side", () => {
  it("is pending until a worker slices the model, then prices both through the same rules", async () => {
    const pending = await preview();
    expect(pending).toMatchObject({ status: "pending", note: null, sliced: null });
    expect(pending.estimated.basis).toBe("estimated");
    await handle.db
      .insertInto("modelSlice")
      .values({
        id: newId("slc"),
        uploadId,
        printerId: shop.printerId,
        organizationId: shop.organizationId,
        meshHash: "m",
        profileHash: "p1",
        profileVersion: 1,
        slicerName: "PrusaSlicer",
        slicerVersion: "2.5.0",
        status: "sliced",
        printSeconds: 4560,
        filamentCm3: 10.32,
        layers: 100,
        finishedAt: T0,
      })
      .execute();
    const both = await preview();
    expect(both.status).toBe("sliced");
    expect(both.estimated).toEqual(pending.estimated);
    expect(both.sliced?.basis).toBe("sliced");
    // The slicer's 76 min plus the shop's setup time; 10.32 cm³ of PLA at 1.24 g/cm³.
    expect(both.sliced!.estimate.printSeconds).toBeGreaterThanOrEqual(4560);
    expect(both.sliced!.estimate.weightG).toBeCloseTo(12.8, 1);
    expect(both.sliced!.breakdown.totalMinor).not.toBe(both.estimated.breakdown.totalMinor);
  });

  it("says why when the slicer refused the model, and that unlisted shops are not sliced", async () => {
    await handle.db
      .updateTable("modelSlice")
      .set({ status: "failed", errorClass: "does_not_fit", printSeconds: null, filamentCm3: null })
      .where("uploadId", "=", uploadId)
      .execute();
    const failed = await preview();
    expect(failed.status).toBe("failed");
    expect(failed.note).toMatch(/larger than this printer/);
    await handle.db
      .updateTable("shopSettings")
      .set({ listed: false })
      .where("organizationId", "=", shop.organizationId)
      .execute();
    expect((await preview()).status).toBe("unavailable");
    await handle.db
      .updateTable("shopSettings")
      .set({ listed: true })
      .where("organizationId", "=", shop.organizationId)
      .execute();
  });

  it("answers NOT_FOUND for another user's upload and another shop's printer, and validates input", async () => {
    const other = await shopFixture(handle.db, "Other Shop");
    await expect(preview({}, other.owner.userId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(preview({ printerId: other.printerId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(preview({ quantity: 0 })).rejects.toThrow(/Quantity is at least 1/);
  });
});
