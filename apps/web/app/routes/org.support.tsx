import { Alert, Button, Card, EmptyState, SelectField, Table, Td, Th } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, formText, resultFor } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Support access · Ktizo" }];

const LOG_LABELS: Record<string, string> = {
  "support.granted": "Access granted",
  "support.revoked": "Access revoked",
  "support.view_opened": "Support opened the workspace",
  "support.page_viewed": "Support viewed a page",
  "support.view_closed": "Support left the workspace",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const access = await org.api.account.support.get();
  return json({ ...shellData(org), access });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  if (intent === "revoke") {
    return attempt(
      intent,
      () => api.account.support.revoke({ grantId: formText(form, "grantId") }),
      "Support access is revoked: support can no longer open your workspace.",
    );
  }
  return attempt(
    "grant",
    () => api.account.support.grant({ hours: Number(formText(form, "hours")) }),
    "Support access is granted.",
  );
}

/**
 * The owner grants the platform's support team read-only access to the workspace for a limited time and
 * revokes it; everyone in the shop sees every page support viewed.
 */
export default function SupportAccess() {
  const format = useFormat();
  const { access, ...shell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const isOwner = shell.organization.role === "owner";
  const granted = resultFor(result, "grant");
  const revoked = resultFor(result, "revoke");
  return (
    <ShopPage
      shell={shell}
      title="Support access"
      description="Let the Ktizo support team look at your workspace, read-only, to help you. They cannot change anything, and every page they open is listed here."
    >
      {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
      <Card>
        <h2 className="font-semibold">Access now</h2>
        {access.live ? (
          <div className="mt-2 space-y-3 text-sm">
            <p>
              Support may open your workspace read-only until{" "}
              <strong>{format.dateTime(access.live.expiresAt)}</strong> (granted by{" "}
              {access.live.grantedByName}).
            </p>
            {isOwner ? (
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="grantId" value={access.live.id} />
                {revoked && !revoked.ok ? <Alert tone="error">{revoked.formError}</Alert> : null}
                <Button type="submit" variant="danger" disabled={busy}>
                  Revoke access now
                </Button>
              </Form>
            ) : null}
          </div>
        ) : (
          <p className="mt-2 text-sm">Support cannot open your workspace.</p>
        )}
        {isOwner ? (
          <Form method="post" className="mt-4 flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="grant" />
            <SelectField
              label={access.live ? "Replace with access for" : "Grant access for"}
              name="hours"
              defaultValue="24"
              error={
                granted && !granted.ok
                  ? (granted.fieldErrors.hours ?? granted.formError ?? undefined)
                  : undefined
              }
            >
              <option value="1">1 hour</option>
              <option value="24">24 hours</option>
              <option value="72">72 hours</option>
            </SelectField>
            <Button type="submit" disabled={busy}>
              Grant read-only access
            </Button>
          </Form>
        ) : (
          <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">
            Only the shop's owners can grant or revoke it.
          </p>
        )}
      </Card>
      <section aria-labelledby="support-log-heading" className="space-y-3">
        <h2 id="support-log-heading" className="font-semibold">
          What support did
        </h2>
        {access.log.length === 0 ? (
          <EmptyState title="Nothing yet">
            Grants, revocations and every page support viewed appear here.
          </EmptyState>
        ) : (
          <Table caption="Support access log">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>What</Th>
                <Th>Who</Th>
                <Th>Page</Th>
              </tr>
            </thead>
            <tbody>
              {access.log.map((entry, i) => (
                <tr key={`${entry.action}-${String(entry.createdAt)}-${i}`}>
                  <Td className="whitespace-nowrap">{format.dateTime(entry.createdAt)}</Td>
                  <Td>{LOG_LABELS[entry.action] ?? entry.action}</Td>
                  <Td>{entry.actorName ?? "—"}</Td>
                  <Td className="break-all">{entry.path ?? ""}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </ShopPage>
  );
}
