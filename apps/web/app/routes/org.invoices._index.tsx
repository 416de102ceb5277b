import { billing } from "@ktizo/api";
import { Alert, Badge, buttonClass, EmptyState, errorCode, Table, Td, TextField, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { INVOICE_TONES } from "~/components/billing/invoice-panel";
import { InlineSelect, linkClass } from "~/components/shop/controls";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Invoices · Ktizo" }];

const STATUSES = ["draft", "sent", "viewed", "partly_paid", "paid", "overdue", "void"] as const;
type Status = (typeof STATUSES)[number];

/** The filters as the API takes them; a value that is not one of the choices is left out. */
function filtersOf(params: URLSearchParams) {
  const status = params.get("status") as Status | null;
  const kind = params.get("kind");
  return {
    search: params.get("q")?.trim() || undefined,
    status: status && STATUSES.includes(status) ? status : undefined,
    kind: kind === "invoice" || kind === "credit_note" ? kind : undefined,
    issuedFrom: params.get("from") || undefined,
    issuedTo: params.get("to") || undefined,
  } as const;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  type List = Awaited<ReturnType<typeof org.api.billing.invoices.list>>;
  let invoices: List = [];
  let error: string | null = null;
  try {
    invoices = await org.api.billing.invoices.list(filtersOf(params));
  } catch (e) {
    // A date that does not read: the page says so instead of failing.
    if (errorCode(e) !== "BAD_REQUEST") throw e;
    error = "Use dates like 2026-05-31 for the issue-date range.";
  }
  return json({ ...shellData(org), invoices, error, labels: billing.INVOICE_STATUS_LABELS });
}

export default function InvoicesList() {
  const { money, day: date } = useFormat();
  const { invoices, error, labels, ...shell } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = ["q", "status", "kind", "from", "to"].some((k) => params.get(k));
  return (
    <ShopPage
      shell={shell}
      title="Invoices"
      description="Every invoice and credit note of the shop: search by number, customer or email."
      actions={
        <Link to="/org/reports" className={buttonClass("secondary")}>
          Reports and exports
        </Link>
      }
    >
      <Form method="get" aria-label="Filter invoices" className="flex flex-wrap items-end gap-3">
        <TextField
          className="min-w-56 flex-1"
          label="Search invoices"
          type="search"
          name="q"
          defaultValue={params.get("q") ?? ""}
          placeholder="INV-2026-0001, customer or email"
        />
        <InlineSelect label="Status" name="status" defaultValue={params.get("status") ?? ""}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {labels[s]}
            </option>
          ))}
        </InlineSelect>
        <InlineSelect label="Kind" name="kind" defaultValue={params.get("kind") ?? ""}>
          <option value="">Invoices and credit notes</option>
          <option value="invoice">Invoices</option>
          <option value="credit_note">Credit notes</option>
        </InlineSelect>
        <TextField label="Issued from" name="from" type="date" defaultValue={params.get("from") ?? ""} />
        <TextField label="Issued to" name="to" type="date" defaultValue={params.get("to") ?? ""} />
        <button type="submit" className={buttonClass("secondary")}>
          Apply
        </button>
        {filtered ? (
          <Link to="/org/invoices" className={linkClass}>
            Clear
          </Link>
        ) : null}
      </Form>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {invoices.length === 0 ? (
        <EmptyState title={filtered ? "No invoices match these filters" : "No invoices yet"}>
          {filtered
            ? "Change or clear the filters."
            : "Create one from a job's Billing section (from its approved estimate or its line items)."}
        </EmptyState>
      ) : (
        <Table caption="Invoices">
          <thead>
            <tr>
              <Th>Number</Th>
              <Th>Customer</Th>
              <Th>Status</Th>
              <Th>Issued</Th>
              <Th>Due</Th>
              <Th className="text-right">Total</Th>
              <Th className="text-right">Balance due</Th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((inv) => (
              <tr key={inv.id}>
                <Td>
                  {inv.jobId ? (
                    <Link to={`/org/jobs/${inv.jobId}#invoices-heading`} className={linkClass}>
                      {inv.number ?? "Draft"}
                    </Link>
                  ) : (
                    (inv.number ?? "Draft")
                  )}
                  {inv.kind === "credit_note" ? <span className="block text-xs">Credit note</span> : null}
                  {inv.jobNumber ? (
                    <span className="block text-xs text-slate-500">Job #{inv.jobNumber}</span>
                  ) : null}
                </Td>
                <Td>{inv.buyer?.name ?? inv.customerName ?? "—"}</Td>
                <Td>
                  <Badge tone={INVOICE_TONES[inv.displayStatus]}>{labels[inv.displayStatus]}</Badge>
                </Td>
                <Td>{inv.issueDate ? date(inv.issueDate) : "—"}</Td>
                <Td>{inv.dueDate ? date(inv.dueDate) : "—"}</Td>
                <Td className="text-right tabular-nums">
                  {inv.kind === "credit_note" ? "−" : ""}
                  {money(inv.totalMinor, inv.currency)}
                </Td>
                <Td className="text-right tabular-nums">
                  {inv.kind === "invoice" ? money(inv.balance.dueMinor, inv.currency) : ""}
                  {inv.status !== "draft" ? (
                    <a
                      href={`/org/invoices/${inv.id}/pdf`}
                      className={`block text-xs ${linkClass}`}
                      download
                      aria-label={`PDF of ${inv.number}`}
                    >
                      PDF
                    </a>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </ShopPage>
  );
}
