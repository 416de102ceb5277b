import { DomainError, marketplace } from "@ktizo/api";
import { modelAnalysis, modelUploadDeps, receiveFiles, UploadTooLargeError } from "@ktizo/runtime/remix";
import { actionErrors } from "@ktizo/ui";
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { readIds, readPricingRules } from "~/components/shop/pricing-form";
import { orgForm, requireOrg } from "~/lib/org.server";

const MAX_BYTES = 50 * 1024 * 1024;

/**
 * The pricing editor's live preview: the dropped model (STL, 3MF, OBJ) is stored as the member's upload
 * and priced with the editor's unsaved rules, the same quote a customer gets: the instant estimate and,
 * once a slicer worker has sliced it with the printer's profile, the sliced quote beside it. The page
 * asks again with `uploadId` (no file) until the slice lands.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BYTES + 1024 * 1024) {
    return json({ ok: false as const, error: "The model is too large for a preview (at most 50 MB)." }, 413);
  }
  let received: Awaited<ReturnType<typeof receiveFiles>>;
  try {
    received = await receiveFiles(request, {
      field: "model",
      maxBytes: MAX_BYTES,
      storage: context.runtime.services.storage,
      analyze: modelAnalysis(context, { maxBytes: MAX_BYTES }),
    });
  } catch (e) {
    if (e instanceof UploadTooLargeError) {
      return json(
        { ok: false as const, error: "The model is too large for a preview (at most 50 MB)." },
        413,
      );
    }
    return json({ ok: false as const, error: "The model could not be read; try again." }, 400);
  }
  const form = received.fields;
  const file = received.files[0];
  let uploadId = String(form.get("uploadId") ?? "");
  let upload: { fileName: string; size: { x: number; y: number; z: number }; volumeMm3: number } | null =
    null;
  try {
    if (file) {
      // Stored like a customer's upload (the member's own), so the slicer workers slice it too.
      const stored = await marketplace.createModelUpload(
        context.runtime.db,
        modelUploadDeps(context, { maxBytes: MAX_BYTES }),
        { userId: org.session.userId },
        file,
        { maxBytes: MAX_BYTES, now: context.runtime.clock.now() },
      );
      uploadId = stored.id;
      upload = {
        fileName: stored.fileName,
        size: stored.analysis.bbox.size,
        volumeMm3: stored.analysis.volumeMm3,
      };
    } else if (!uploadId) {
      return json({ ok: false as const, error: "Drop or choose a model file (STL, 3MF or OBJ)." }, 400);
    }
  } catch (e) {
    if (e instanceof DomainError) return json({ ok: false as const, error: e.message }, 400);
    throw e;
  } finally {
    await received.cleanup();
  }
  try {
    const preview = await api.shop.pricing.slicePreview({
      uploadId,
      materialId: String(form.get("previewMaterialId") ?? ""),
      printerId: String(form.get("previewPrinterId") ?? ""),
      quantity: Number(form.get("previewQuantity") ?? "1") || 1,
      rush: form.get("previewRush") === "on",
      pricing: readPricingRules(form, readIds(form), orgForm(request, org)),
    });
    return json({
      ok: true as const,
      uploadId,
      ...(upload ?? {}),
      quote: preview.estimated,
      slice: { status: preview.status, note: preview.note, quote: preview.sliced },
    });
  } catch (error) {
    const { formError, fieldErrors } = actionErrors(error, "The preview could not be priced.");
    const messages = [formError, ...Object.entries(fieldErrors).map(([k, m]) => `${k}: ${m}`)];
    return json({ ok: false as const, error: messages.filter(Boolean).join(" · ") }, 400);
  }
}
