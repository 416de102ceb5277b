import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listedShop, marketplaceServices, T0, uploadTestBox } from "../testing/marketplace-fixtures.ts";
import { createQuote, quoteOptions, readQuotes } from "./quotes.ts";

// Issue 14, requirement 5 (server side): once the slicer worker has stored a slice for the printer's
// current profile, marketplace quotes are priced from it through the shop's own rules and say so.
let handle: DbHandle;
let shop: Awaited<ReturnType<typeof listedShop>>;
let uploadId: string;
const owner = { userId: null, uploadSessionId: "anon-session-sliced-000001" };

async function storeSlice(values: Record<string, unknown>) {
  await handle.db
    .insertInto("modelSlice")
    .values({
      id: newId("slc"),
      uploadId,
      printerId: shop.printerId,
      organizationId: shop.organizationId,
      meshHash: "m",
      profileHash: newId("p"),
      profileVersion: 1,
      slicerName: "PrusaSlicer",
      slicerVersion: "2.5.0",
      status: "sliced",
      finishedAt: T0,
      ...values,
    })
    .execute();
}

const plaOption = async (quality: "standard" | "fine" = "standard") => {
  const shops = await quoteOptions(handle.db, owner, { uploadId, quality });
  return shops.find((s) => s.slug === shop.slug)!.options.find((o) => o.materialId === shop.plaId)!;
};

beforeAll(async () => {
  handle = await createTestDb();
  shop = await listedShop(handle.db, "Sliced Prints", "sliced-prints");
  const env = marketplaceServices(handle.db);
  const upload = await uploadTestBox(handle.db, env.services.storage, owner, "cube.stl", [20, 20, 20]);
  uploadId = upload.id;
});
afterAll(() => handle.close());

describe("sliced marketplace quotes", () => {
  it("is estimated until a slice lands, then priced from the slice and labelled", async () => {
    const estimated = await plaOption();
    expect(estimated).toMatchObject({ basis: "estimated", sliced: null, sliceNote: null });
    // 1 h 16 min and 10.32 cm³ (12.8 g of PLA at 1.24 g/cm³).
    await storeSlice({ printSeconds: 4560, filamentCm3: 10.32, filamentG: 12.8, layers: 100 });
    const sliced = await plaOption();
    expect(sliced.basis).toBe("sliced");
    expect(sliced.sliced).toEqual({ printSeconds: 4560, grams: 12.8 });
    expect(sliced.totalMinor).not.toBe(estimated.totalMinor);
    // The material line follows the sliced grams through the shop's own price per gram: twice the
    // filament (a newer slice), twice the material line.
    const material = (o: typeof sliced) => o.breakdown.lines.find((l) => l.code === "material")!.amountMinor;
    await storeSlice({
      printSeconds: 4560,
      filamentCm3: 20.64,
      filamentG: 25.6,
      layers: 100,
      finishedAt: new Date(T0.getTime() + 500),
    });
    const doubled = await plaOption();
    expect(doubled.sliced?.grams).toBe(25.59);
    expect(Math.abs(material(doubled) - 2 * material(sliced))).toBeLessThanOrEqual(1);
    await handle.db.deleteFrom("modelSlice").where("filamentCm3", "=", 20.64).execute();
    // Other qualities use other layer heights than the sliced profile: still estimated.
    expect((await plaOption("fine")).basis).toBe("estimated");
  });

  it("stores the sliced price and its basis with the quote; checkout charges the stored quote", async () => {
    const option = await plaOption();
    const quote = await createQuote(
      handle.db,
      owner,
      { uploadId, shopSlug: shop.slug, materialId: shop.plaId, quantity: 1 },
      T0,
    );
    expect(quote.totalMinor).toBe(option.totalMinor);
    expect(quote.basis).toBe("sliced");
    const row = await handle.db
      .selectFrom("marketplaceQuote")
      .select(["inputs", "totalMinor"])
      .where("id", "=", quote.id)
      .executeTakeFirstOrThrow();
    expect(row.inputs).toMatchObject({ basis: "sliced" });
    // A later slice (or a profile change) does not touch the stored quote.
    await handle.db
      .updateTable("printer")
      .set({ slicerProfileVersion: 2 })
      .where("id", "=", shop.printerId)
      .execute();
    expect((await plaOption()).basis).toBe("estimated");
    const again = await handle.db
      .selectFrom("marketplaceQuote")
      .select("totalMinor")
      .where("id", "=", quote.id)
      .executeTakeFirstOrThrow();
    expect(again.totalMinor).toBe(row.totalMinor);
    // The customer still sees which figures the stored price came from.
    const [view] = await readQuotes(handle.db, [quote.id], T0);
    expect(view).toMatchObject({ basis: "sliced", totalMinor: row.totalMinor });
  });

  it("keeps the estimate and says why when slicing failed", async () => {
    await storeSlice({
      profileVersion: 2,
      status: "failed",
      errorClass: "nothing_on_bed",
      finishedAt: new Date(T0.getTime() + 1000),
    });
    const option = await plaOption();
    expect(option.basis).toBe("estimated");
    expect(option.sliceNote).toMatch(/sits flat on the print bed/);
  });
});
