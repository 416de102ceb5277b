import { requireSession } from "@ktizo/runtime/remix";
import { Alert, Badge, Button, EmptyState, Section, Table, Td, Th } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useFormat } from "~/lib/format";
import { formText, refused } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Estimates and invoices · Ktizo" }];

const ESTIMATE_LABELS: Record<string, string> = {
  sent: "Awaiting your approval",
  approved: "Approved",
  changes_requested: "Changes requested",
  declined: "Declined",
};
const INVOICE_LABELS: Record<string, string> = {
  sent: "Open",
  viewed: "Open",
  partly_paid: "Partly paid",
  paid: "Paid",
  overdue: "Overdue",
  void: "Void",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  return json(await api.billing.account.documents({}));
}

/** Opens one of the customer's documents in the portal through a fresh link. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  const type = formText(form, "type") === "invoice" ? "invoice" : "estimate";
  try {
    const { portalPath } = await api.billing.account.open({ type, id: formText(form, "id") });
    return redirect(portalPath);
  } catch {
    return refused("open", { formError: "That document cannot be opened.", fieldErrors: {} }, 404);
  }
}

function OpenButton({ type, id, label }: { type: "estimate" | "invoice"; id: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="secondary" aria-label={label}>
        Open
      </Button>
    </Form>
  );
}

/** One table of documents: what, its status, an amount, and the button that opens it. */
function DocumentTable({
  caption,
  amountLabel,
  rows,
}: {
  caption: string;
  amountLabel: string;
  rows: { key: string; what: ReactNode; status: ReactNode; amount: ReactNode; open: ReactNode }[];
}) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>{caption.replace(/s$/, "")}</Th>
          <Th>Status</Th>
          <Th className="text-right">{amountLabel}</Th>
          <Th>
            <span className="sr-only">Open</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <Td>{r.what}</Td>
            <Td>{r.status}</Td>
            <Td className="text-right tabular-nums">{r.amount}</Td>
            <Td>{r.open}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export default function AccountDocuments() {
  const { money, day, dateTime } = useFormat();
  const { verified, estimates, invoices } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <Section
      id="documents-heading"
      title="Estimates and invoices"
      description="What print shops sent to your email address. Open one to approve, pay or download it."
    >
      {failed?.formError ? <Alert tone="error">{failed.formError}</Alert> : null}
      {!verified ? (
        <Alert tone="info">Confirm your email address to see the documents shops sent to it.</Alert>
      ) : estimates.length + invoices.length === 0 ? (
        <EmptyState title="Nothing yet">Estimates and invoices shops email you will show here.</EmptyState>
      ) : (
        <div className="space-y-6">
          {invoices.length ? (
            <DocumentTable
              caption="Invoices"
              amountLabel="Due"
              rows={invoices.map((i) => ({
                key: i.id,
                what: (
                  <>
                    {i.kind === "credit_note" ? "Credit note" : "Invoice"} {i.number}
                    <span className="block text-xs text-slate-500 dark:text-slate-400">
                      {i.shopName} · {day(i.issueDate)} · {money(i.totalMinor, i.currency)}
                    </span>
                  </>
                ),
                status: (
                  <Badge tone={i.status === "paid" ? "green" : i.status === "overdue" ? "red" : "slate"}>
                    {INVOICE_LABELS[i.status] ?? i.status}
                  </Badge>
                ),
                amount: (
                  <>
                    {i.dueMinor > 0 ? money(i.dueMinor, i.currency) : "—"}
                    {i.dueMinor > 0 && i.dueDate ? (
                      <span className="block text-xs">by {day(i.dueDate)}</span>
                    ) : null}
                  </>
                ),
                open: <OpenButton type="invoice" id={i.id} label={`Open invoice ${i.number}`} />,
              }))}
            />
          ) : null}
          {estimates.length ? (
            <DocumentTable
              caption="Estimates"
              amountLabel="Total"
              rows={estimates.map((e) => ({
                key: e.id,
                what: (
                  <>
                    {e.title}
                    <span className="block text-xs text-slate-500 dark:text-slate-400">
                      {e.shopName} · {dateTime(e.updatedAt)}
                    </span>
                  </>
                ),
                status: (
                  <Badge tone={e.status === "approved" ? "green" : "slate"}>
                    {ESTIMATE_LABELS[e.status] ?? e.status}
                  </Badge>
                ),
                amount: money(e.totalMinor, e.currency),
                open: <OpenButton type="estimate" id={e.id} label={`Open estimate for ${e.title}`} />,
              }))}
            />
          ) : null}
        </div>
      )}
    </Section>
  );
}
