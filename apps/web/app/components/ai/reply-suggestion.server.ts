import type { requireOrg } from "~/lib/org.server";

type Api = Awaited<ReturnType<typeof requireOrg>>["api"];

/**
 * A message sent from a suggested draft (the form carries the draft as `aiDraft`) records the
 * suggestion as accepted, and whether the person changed it. The message is already sent: a failure
 * to record does not undo it.
 */
export async function recordSentDraft(api: Api, orderId: string, form: FormData, body: string) {
  const draft = form.get("aiDraft");
  if (typeof draft !== "string" || draft.trim() === "") return;
  try {
    await api.ai.reply.outcome({ orderId, outcome: "accepted", edited: draft.trim() !== body.trim() });
  } catch {
    // Switched off meanwhile, or the order is gone: the message stands either way.
  }
}
