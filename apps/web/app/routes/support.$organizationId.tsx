import { orNotFound, requireSession } from "@ktizo/runtime/remix";
import { Alert, Button, Card, PageHeader } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useFormat } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Support view · Ktizo" }];

/**
 * A platform admin (from the admin console's shop page) opens a shop's workspace read-only, while the
 * shop's owner has granted support access. Everyone else, and a shop without a live grant: 404.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const organizationId = params.organizationId ?? "";
  const { grant } = await orNotFound(() => api.admin.support.status({ organizationId }));
  if (!grant) throw new Response("This shop has not granted support access", { status: 404 });
  return json({ grant });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  await orNotFound(() => api.admin.support.open({ organizationId: params.organizationId ?? "" }));
  return redirect("/org");
}

export default function OpenSupportView() {
  const { grant } = useLoaderData<typeof loader>();
  const format = useFormat();
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title="Open the shop's workspace read-only" />
      <Card className="space-y-4">
        <p className="text-sm">
          {grant.grantedByName} granted platform support read-only access until{" "}
          {format.dateTime(grant.expiresAt)}.
        </p>
        <Alert tone="info">
          Nothing can be changed in the support view, and every page you open is written to the shop's log,
          which the shop sees.
        </Alert>
        <Form method="post">
          <Button type="submit">Open the workspace read-only</Button>
        </Form>
      </Card>
    </div>
  );
}
