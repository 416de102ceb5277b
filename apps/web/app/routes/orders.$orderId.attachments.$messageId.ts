import { requireSession } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse } from "~/components/marketplace/attachment.server";

/** The customer downloads an attachment of their order's thread. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { session } = await requireSession(request, context);
  return attachmentResponse(context, { side: "customer", userId: session.userId }, params.messageId ?? "");
}
