import { actionErrors } from "@ktizo/ui";
import { json } from "@remix-run/node";
import { attempt, type FormResult, formText, refused } from "~/lib/forms";
import type { requireOrg } from "~/lib/org.server";

type Api = Awaited<ReturnType<typeof requireOrg>>["api"];
export type ConversationTarget = { jobId: string } | { customerId: string };

/** The conversation section's data: one page of the timeline (`?before=` is the cursor), templates, SMS. */
export async function loadConversation(api: Api, target: ConversationTarget, url: URL) {
  const before = url.searchParams.get("before") ?? undefined;
  const [page, templates, sms] = await Promise.all([
    api.job.conversation.timeline({ ...target, limit: 20, ...(before ? { cursor: before } : {}) }),
    api.job.templates.list(),
    api.shop.sms.get(),
  ]);
  return {
    items: page.items,
    nextCursor: page.nextCursor,
    paged: before !== undefined,
    templates: templates.map((t) => ({ id: t.id, name: t.name })),
    smsNumber: sms.phoneE164,
  };
}

export const CONVERSATION_INTENTS = new Set(["convPreview", "convSend", "convTextProof"]);

export type ConversationResult = FormResult & {
  preview?: { body: string; subject: string | null; smsSegments: number };
};

function draftOf(form: FormData, target: ConversationTarget) {
  const templateId = formText(form, "templateId");
  return {
    ...target,
    channel: formText(form, "channel") as "sms",
    body: formText(form, "body"),
    subject: formText(form, "subject"),
    ...(templateId ? { templateId } : {}),
  };
}

/** The conversation section's forms: preview a reply, send it, text the pending proof. */
export async function conversationAction(
  intent: string,
  form: FormData,
  api: Api,
  target: ConversationTarget,
) {
  switch (intent) {
    case "convPreview":
      try {
        const preview = await api.job.conversation.preview(draftOf(form, target));
        return json<ConversationResult>({
          intent,
          ok: true,
          message: null,
          formError: null,
          fieldErrors: {},
          preview,
        });
      } catch (error) {
        return refused(intent, actionErrors(error, "The message could not be previewed."));
      }
    case "convSend": {
      const channel = formText(form, "channel");
      return attempt(
        intent,
        () => api.job.conversation.send(draftOf(form, target)),
        channel === "sms" ? "Text sent." : channel === "email" ? "Email sent." : "Message posted.",
        "The message could not be sent.",
      );
    }
    case "convTextProof":
      return attempt(
        intent,
        () => api.job.conversation.textProof({ proofId: formText(form, "proofId") }),
        "The proof link is texted; the customer can reply YES to approve it.",
        "The proof could not be texted.",
      );
    default:
      return null;
  }
}
