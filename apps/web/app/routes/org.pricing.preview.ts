import { isQuoteError, type ModelAnalysis } from "@ktizo/quote";
import { actionErrors } from "@ktizo/ui";
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { readIds, readPricingRules } from "~/components/shop/pricing-form";
import { orgForm, requireOrg } from "~/lib/org.server";

const MAX_BYTES = 50 * 1024 * 1024;

/**
 * The pricing editor's live preview: the dropped model (STL, 3MF, OBJ) is analysed here and priced with
 * the editor's unsaved rules by the shop router's preview procedure, the same quote a customer gets.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BYTES + 1024 * 1024) {
    return json({ ok: false as const, error: "The model is too large for a preview (at most 50 MB)." }, 413);
  }
  const form = await request.formData();
  const file = form.get("model");
  if (!(file instanceof File) || file.size === 0) {
    return json({ ok: false as const, error: "Drop or choose a model file (STL, 3MF or OBJ)." }, 400);
  }
  let analysis: ModelAnalysis;
  try {
    // In the worker pool, off the event loop (runtime.analyzeModel).
    analysis = await context.runtime.analyzeModel(new Uint8Array(await file.arrayBuffer()), {
      maxBytes: MAX_BYTES,
    });
  } catch (e) {
    if (isQuoteError(e)) return json({ ok: false as const, error: e.message }, 400);
    throw e;
  }
  try {
    const quote = await api.shop.pricing.preview({
      analysis: {
        format: analysis.format,
        triangles: analysis.triangles,
        volumeMm3: analysis.volumeMm3,
        areaMm2: analysis.areaMm2,
        bbox: analysis.bbox,
        watertight: analysis.watertight,
        shells: analysis.shells,
      },
      materialId: String(form.get("previewMaterialId") ?? ""),
      printerId: String(form.get("previewPrinterId") ?? ""),
      quantity: Number(form.get("previewQuantity") ?? "1") || 1,
      rush: form.get("previewRush") === "on",
      pricing: readPricingRules(form, readIds(form), orgForm(request, org)),
    });
    return json({
      ok: true as const,
      fileName: file.name,
      size: analysis.bbox.size,
      volumeMm3: analysis.volumeMm3,
      quote,
    });
  } catch (error) {
    const { formError, fieldErrors } = actionErrors(error, "The preview could not be priced.");
    const messages = [formError, ...Object.entries(fieldErrors).map(([k, m]) => `${k}: ${m}`)];
    return json({ ok: false as const, error: messages.filter(Boolean).join(" · ") }, 400);
  }
}
