import { formatDateTime } from "@ktizo/api/shared";
import { Badge, EmptyState, PageHeader, Table, Td, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Privacy requests · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  return json({ requests: await api.privacy.admin.openRequests() });
}

const TONE = { ok: "green", warn: "amber", overdue: "red" } as const;

/** P29: every open export and deletion with its age, so none passes 30 days unanswered. */
const KIND_LABEL = {
  export: "Data export",
  deletion: "Account deletion",
  shop_deletion: "Shop deletion",
} as const;

export default function PrivacyRequests() {
  const { requests } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Privacy requests"
        description="Open data exports and account deletions, oldest first. Every request must be answered within 30 days."
      />
      {requests.length === 0 ? (
        <EmptyState title="No open privacy requests" />
      ) : (
        <Table caption="Open privacy requests">
          <thead>
            <tr>
              <Th>Request</Th>
              <Th>Account</Th>
              <Th>Status</Th>
              <Th>Requested</Th>
              <Th>Age</Th>
              <Th>Due</Th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <Td>{KIND_LABEL[r.kind]}</Td>
                <Td>
                  {r.email ?? "—"}
                  {r.shopName ? ` · shop: ${r.shopName}` : ""}
                </Td>
                <Td>{r.status}</Td>
                <Td>{formatDateTime(r.requestedAt)}</Td>
                <Td>
                  <Badge tone={TONE[r.urgency]}>
                    {r.ageDays} {r.ageDays === 1 ? "day" : "days"}
                    {r.urgency === "overdue" ? " · overdue" : ""}
                  </Badge>
                </Td>
                <Td>{r.dueAt ? formatDateTime(r.dueAt) : "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
