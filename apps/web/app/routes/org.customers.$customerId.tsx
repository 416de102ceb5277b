import {
  Alert,
  actionErrors,
  Button,
  buttonClass,
  CheckboxField,
  errorCode,
  Section,
  SelectField,
  Table,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Conversation } from "~/components/conversation/conversation";
import {
  CONVERSATION_INTENTS,
  conversationAction,
  loadConversation,
} from "~/components/conversation/conversation.server";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import type { JobStatus } from "~/components/shop/format";
import { ShopPage } from "~/components/shop/shop-page";
import { StatusBadge } from "~/components/shop/status-badge";
import { useFormat } from "~/lib/format";
import { attempt, formText, refused, resultFor } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.customer.name} · Ktizo` : "Customer · Ktizo" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  try {
    const customer = await org.api.job.customers.get({ id: params.customerId ?? "" });
    const conversation = await loadConversation(org.api, { customerId: customer.id }, new URL(request.url));
    return json({ ...shellData(org), customer, conversation });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND" || errorCode(error) === "BAD_REQUEST") {
      throw new Response("Customer not found", { status: 404 });
    }
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const id = params.customerId ?? "";
  const intent = formText(form, "intent");
  if (CONVERSATION_INTENTS.has(intent)) {
    const result = await conversationAction(intent, form, api, { customerId: id });
    if (result) return result;
  }
  if (intent === "delete") {
    try {
      const customer = await api.job.customers.get({ id });
      await api.job.customers.delete({ id });
      return redirect(`/org/customers?deleted=${encodeURIComponent(customer.name)}`);
    } catch (error) {
      return refused("delete", actionErrors(error, "The customer could not be deleted."));
    }
  }
  return attempt(
    "save",
    () =>
      api.job.customers.update({
        id,
        name: formText(form, "name"),
        company: formText(form, "company"),
        email: formText(form, "email"),
        phone: formText(form, "phone"),
        notifyChannel: formText(form, "notifyChannel") as "email",
        smsConsent: form.get("smsConsent") === "on",
        notes: formText(form, "notes"),
      }),
    "Customer saved.",
  );
}

export default function CustomerPage() {
  const { date: formatDate, money: formatMoney, dateTime } = useFormat();
  const { customer, conversation, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const result = resultFor(data, "save");
  const removal = resultFor(data, "delete");
  const busy = useNavigation().state === "submitting";
  const created = useSearchParams()[0].has("created");
  const e = result?.fieldErrors ?? {};
  return (
    <ShopPage
      shell={shell}
      title={customer.name}
      description={
        [customer.company, customer.email, customer.phone].filter(Boolean).join(" · ") || undefined
      }
      actions={
        <>
          <Link to="/org/customers" className={linkClass}>
            All customers
          </Link>
          <Link to={`/org/jobs/new?customer=${customer.id}`} className={buttonClass("primary")}>
            New job for {customer.name}
          </Link>
        </>
      }
    >
      {created ? <Alert tone="success">{customer.name} is added to your customers.</Alert> : null}
      <Section id="jobs-heading" title={`Jobs (${customer.jobCount})`}>
        {customer.jobs.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No jobs yet.</p>
        ) : (
          <Table caption="Job history">
            <thead>
              <tr>
                <Th>Job</Th>
                <Th>Status</Th>
                <Th>Due</Th>
                <Th>Created</Th>
                <Th className="text-right">Total</Th>
              </tr>
            </thead>
            <tbody>
              {customer.jobs.map((j) => (
                <tr key={j.id}>
                  <Td>
                    <Link to={`/org/jobs/${j.id}`} className={linkClass}>
                      #{j.number} {j.title}
                    </Link>
                  </Td>
                  <Td>
                    <StatusBadge status={j.status as JobStatus} />
                  </Td>
                  <Td>{formatDate(j.dueAt)}</Td>
                  <Td>{formatDate(j.createdAt)}</Td>
                  <Td className="text-right tabular-nums">{formatMoney(j.totalMinor, j.currency)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
      <Section
        id="conversation-heading"
        title="Conversation"
        description={`Every portal message, email and text with ${customer.name}, across their jobs.`}
      >
        <Conversation conversation={conversation} data={data} portal={false} showJob />
      </Section>
      <Section id="details-heading" title="Details">
        <Form method="post" noValidate className="space-y-4">
          {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
          <ErrorSummary result={result?.ok ? undefined : result} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Name" name="name" defaultValue={customer.name} error={e.name} />
            <TextField
              label="Company"
              name="company"
              defaultValue={customer.company ?? ""}
              error={e.company}
            />
            <TextField
              label="Email"
              name="email"
              type="email"
              defaultValue={customer.email ?? ""}
              error={e.email}
            />
            <TextField
              label="Phone"
              name="phone"
              defaultValue={customer.phone ?? ""}
              error={e.phone}
              hint={
                customer.phone && !customer.phoneE164
                  ? "Not a valid number: texts cannot reach it"
                  : "With the country code, such as +44 7911 123456"
              }
            />
            <SelectField
              label="Notifications by"
              name="notifyChannel"
              defaultValue={customer.notifyChannel}
              error={e.notifyChannel}
              hint="Service messages (payment, pickup, proofs) always go, by the chosen channel or email"
            >
              <option value="email">Email</option>
              <option value="sms">SMS</option>
              <option value="both">Email and SMS</option>
              <option value="none">None for marketing</option>
            </SelectField>
          </div>
          <CheckboxField
            label="The customer agreed to receive texts"
            name="smsConsent"
            defaultChecked={customer.smsConsentAt !== null}
            hint={
              customer.smsConsentAt
                ? `Recorded ${dateTime(customer.smsConsentAt)} ${customer.smsConsentSource === "customer" ? "by the customer in their account" : "by a staff member"}`
                : "Texts are sent only after the customer agreed; your name and the time are recorded"
            }
          />
          <TextAreaField label="Notes" name="notes" rows={3} defaultValue={customer.notes} error={e.notes} />
          <div className="flex justify-end">
            <Button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Save customer"}
            </Button>
          </div>
        </Form>
        {customer.addresses.length ? (
          <div className="mt-6">
            <h3 className="text-sm font-semibold">Addresses</h3>
            <ul className="mt-2 space-y-2 text-sm">
              {customer.addresses.map((a) => (
                <li key={`${a.label}-${a.line1}`}>
                  <strong>{a.label}:</strong>{" "}
                  {[a.line1, a.line2, a.postalCode, a.city, a.region, a.country].filter(Boolean).join(", ")}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Section>
      <Section
        id="delete-heading"
        title="Delete customer"
        description={
          customer.jobCount > 0
            ? `${customer.name} has ${customer.jobCount} job(s): the record is kept with their history, so it cannot be deleted.`
            : "Removes this customer record. Customers with jobs are kept for the record."
        }
      >
        {removal?.formError ? (
          <div className="mb-4">
            <Alert tone="error">{removal.formError}</Alert>
          </div>
        ) : null}
        <Form
          method="post"
          onSubmit={(event) => {
            if (!window.confirm(`Delete ${customer.name}? This cannot be undone.`)) event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <Button type="submit" variant="danger" disabled={busy}>
            Delete {customer.name}
          </Button>
        </Form>
      </Section>
    </ShopPage>
  );
}
