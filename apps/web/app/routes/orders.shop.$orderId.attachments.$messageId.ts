import { orNotFound, requireSession } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse } from "~/components/marketplace/attachment.server";

/** The fulfilling shop downloads an attachment of the order's thread (membership checked by the router). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, session } = await requireSession(request, context);
  await orNotFound(() => api.marketplace.shop.order({ orderId: params.orderId ?? "" }));
  const organizationId = session.activeOrganizationId ?? "";
  return attachmentResponse(
    context,
    { side: "shop", organizationId, userId: session.userId },
    params.messageId ?? "",
  );
}
