import { actionErrors, errorCode } from "@ktizo/ui";
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

/**
 * "Suggest a reply" on the shop's view of a marketplace order (issue 15, req. 5; AI only): "suggest"
 * drafts a reply to the customer's latest message, "dismiss" records that the draft was not used (a
 * sent draft is recorded by the message form). Refused when AI is switched off.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const orderId = params.orderId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "suggest") {
      const draft = await org.api.ai.reply.suggest({ orderId });
      return json({ intent, draft, formError: null });
    }
    if (intent === "dismiss") {
      await org.api.ai.reply.outcome({ orderId, outcome: "dismissed" });
      return json({ intent, draft: null, formError: null });
    }
    return json({ intent, draft: null, formError: "Unknown request" }, { status: 400 });
  } catch (error) {
    // Another shop's order, or none: as if the route did not exist.
    if (errorCode(error) === "NOT_FOUND") throw new Response("Order not found", { status: 404 });
    return json(
      { intent, draft: null, formError: actionErrors(error, "No reply could be suggested.").formError },
      { status: 400 },
    );
  }
}
