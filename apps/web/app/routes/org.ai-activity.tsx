import { buttonClass } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AiActivityTable } from "~/components/ai/activity-table";
import { ShopPage } from "~/components/shop/shop-page";
import { requireOrgAdmin, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "AI activity · Ktizo" }];

/** The shop's AI audit trail (issue 15, req. 6), for its owners and admins, 25 a page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrgAdmin(request, context, "the AI activity");
  const page = Math.max(1, Math.min(10_000, Number(new URL(request.url).searchParams.get("page")) || 1));
  const [activity, privacy] = await Promise.all([
    org.api.ai.activity.organization({ page, pageSize: 25 }),
    org.api.privacy.organization.get(),
  ]);
  return json({ ...shellData(org), activity, aiOff: privacy.aiOff });
}

export default function AiActivity() {
  const { activity, aiOff, ...shell } = useLoaderData<typeof loader>();
  return (
    <ShopPage
      shell={shell}
      title="AI activity"
      description={`Every request the shop's AI features made: who, when, which feature and which kinds of data were sent (never the content), the model and its token counts. AI is ${aiOff ? "switched off" : "switched on"} for the shop.`}
      actions={
        <Link to="/org/settings#ai" className={buttonClass("secondary")}>
          AI settings
        </Link>
      }
    >
      <AiActivityTable page={activity} who="person" href={(p) => `?page=${p}`} />
    </ShopPage>
  );
}
