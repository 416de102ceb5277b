import type { z } from "zod";
import { type Executor, idSchema, notFound } from "../kernel/index.ts";
import { pricePreviewInput, quoteForShop } from "./pricing.ts";
import type { ShopQuote } from "./quote.ts";
import { uploadSlices } from "./slices.ts";

export const slicePreviewInput = pricePreviewInput.omit({ analysis: true }).extend({
  /** A model the member uploaded for the preview (stored, so the slicer workers slice it). */
  uploadId: idSchema,
});

export interface SlicePreview {
  /** "pending" until a worker has sliced the model with the printer's current profile. */
  status: "sliced" | "pending" | "failed" | "unavailable";
  /** Why the price stays estimated (the customer's words), when it does. */
  note: string | null;
  /** The volume/area heuristic's quote: what customers got before the slice landed. */
  estimated: ShopQuote;
  /** The same rules priced from the slicer's figures; null until sliced. */
  sliced: ShopQuote | null;
}

/**
 * The pricing preview's two figures side by side (issue 14): the instant estimate and, once a slicer
 * worker has sliced the uploaded model with this printer's current profile, the quote from the slice,
 * both through the editor's rules. The upload must be the member's own; slicing never runs here.
 */
export async function slicePreview(
  db: Executor,
  organizationId: string,
  userId: string,
  input: z.input<typeof slicePreviewInput>,
): Promise<SlicePreview> {
  const f = slicePreviewInput.parse(input);
  const upload = await db
    .selectFrom("modelUpload")
    .select(["id", "analysis"])
    .where("id", "=", f.uploadId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  if (!upload) throw notFound("Upload not found");
  const printer = await db
    .selectFrom("printer")
    .select(["technology"])
    .where("organizationId", "=", organizationId)
    .where("id", "=", f.printerId)
    .executeTakeFirst();
  if (!printer) throw notFound("Printer not found");
  const analysis = upload.analysis as unknown as z.input<typeof pricePreviewInput>["analysis"];
  const previewInput = { ...f, analysis };
  const estimated = await quoteForShop(db, organizationId, previewInput);
  if (printer.technology === "powder") {
    return {
      status: "unavailable",
      note: "Powder printers are priced from the estimate",
      estimated,
      sliced: null,
    };
  }
  const settings = await db
    .selectFrom("shopSettings")
    .select("listed")
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!settings?.listed) {
    const note = "Models are sliced for shops listed on the marketplace";
    return { status: "unavailable", note, estimated, sliced: null };
  }
  const slice = (await uploadSlices(db, upload.id)).get(f.printerId);
  if (!slice) return { status: "pending", note: null, estimated, sliced: null };
  if ("failed" in slice) return { status: "failed", note: slice.failed, estimated, sliced: null };
  const sliced = await quoteForShop(db, organizationId, previewInput, slice);
  return { status: "sliced", note: null, estimated, sliced };
}
