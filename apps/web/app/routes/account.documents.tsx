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
            <Table caption="Invoices">
              <thead>
                <tr>
                  <Th>Invoice</Th>
                  <Th>Status</Th>
                  <Th className="text-right">Due</Th>
                  <Th>
                    <span className="sr-only">Open</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((i) => (
                  <tr key={i.id}>
                    <Td>
                      {i.kind === "credit_note" ? "Credit note" : "Invoice"} {i.number}
                      <span className="block text-xs text-slate-500 dark:text-slate-400">
                        {i.shopName} · {day(i.issueDate)} · {money(i.totalMinor, i.currency)}
                      </span>
                    </Td>
                    <Td>
                      <Badge tone={i.status === "paid" ? "green" : i.status === "overdue" ? "red" : "slate"}>
                        {INVOICE_LABELS[i.status] ?? i.status}
                      </Badge>
                    </Td>
                    <Td className="text-right tabular-nums">
                      {i.dueMinor > 0 ? money(i.dueMinor, i.currency) : "—"}
                      {i.dueMinor > 0 && i.dueDate ? (
                        <span className="block text-xs">by {day(i.dueDate)}</span>
                      ) : null}
                    </Td>
                    <Td>
                      <OpenButton type="invoice" id={i.id} label={`Open invoice ${i.number}`} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
          {estimates.length ? (
            <Table caption="Estimates">
              <thead>
                <tr>
                  <Th>Estimate</Th>
                  <Th>Status</Th>
                  <Th className="text-right">Total</Th>
                  <Th>
                    <span className="sr-only">Open</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {estimates.map((e) => (
                  <tr key={e.id}>
                    <Td>
                      {e.title}
                      <span className="block text-xs text-slate-500 dark:text-slate-400">
                        {e.shopName} · {dateTime(e.updatedAt)}
                      </span>
                    </Td>
                    <Td>
                      <Badge tone={e.status === "approved" ? "green" : "slate"}>
                        {ESTIMATE_LABELS[e.status] ?? e.status}
                      </Badge>
                    </Td>
                    <Td className="text-right tabular-nums">{money(e.totalMinor, e.currency)}</Td>
                    <Td>
                      <OpenButton type="estimate" id={e.id} label={`Open estimate for ${e.title}`} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
        </div>
      )}
    </Section>
  );
}
