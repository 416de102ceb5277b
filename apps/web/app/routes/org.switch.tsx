import { requireSession } from "@ktizo/runtime/remix";
import { Badge, Button, buttonClass, Card, PageHeader } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formText } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Choose an organization · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const me = await api.account.me();
  return json({ memberships: me.memberships, active: me.activeOrganizationId });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  try {
    await api.account.organizations.switch({ organizationId: formText(form, "organizationId") });
  } catch {
    throw new Response("Organization not found", { status: 404 });
  }
  return redirect("/org");
}

export default function SwitchOrganization() {
  const { memberships, active } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader
        title="Choose an organization"
        actions={
          <Link to="/org/new" className={buttonClass("secondary")}>
            New organization
          </Link>
        }
      />
      {memberships.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            You are not a member of any organization yet.
          </p>
        </Card>
      ) : (
        <ul className="space-y-3">
          {memberships.map((m) => (
            <li key={m.organizationId}>
              <Form method="post">
                <input type="hidden" name="organizationId" value={m.organizationId} />
                <Card className="flex items-center justify-between gap-4">
                  <div>
                    <p className="font-semibold">{m.name}</p>
                    <p className="text-sm text-slate-600 dark:text-slate-400">
                      <Badge>{m.role}</Badge>
                      {m.organizationId === active ? " · current" : null}
                    </p>
                  </div>
                  <Button type="submit" variant={m.organizationId === active ? "secondary" : "primary"}>
                    Open <span className="sr-only">{m.name}</span>
                  </Button>
                </Card>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
