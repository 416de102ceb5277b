import { apiFor } from "@ktizo/runtime/remix";
import { Alert, actionErrors, Badge, Button, Card, TextField } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { portalCall, portalPage } from "~/components/billing/portal.server";
import { ProofViewer } from "~/components/billing/proof-viewer";
import { useFormat } from "~/lib/format";
import { formText } from "~/lib/forms";

export const meta: MetaFunction = () => [
  { title: "Your document · Ktizo" },
  // The token in the address is the customer's key to this page: keep it out of search engines.
  { name: "robots", content: "noindex" },
];

/**
 * An estimate or invoice a shop sent, opened from the emailed link: no account, the link is the key
 * (one document, expiring). The customer approves by typing their name, asks for changes, pays online.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const view = await portalCall(request, context, (api) => api.billing.portal.view({ token }));
  return json({ token, page: portalPage(view) });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await request.formData();
  const intent = formText(form, "intent");
  const { api } = await apiFor(request, context);
  try {
    if (intent === "approve") {
      await api.billing.portal.approve({ token, name: formText(form, "name") });
      return redirect(`/portal/${token}?approved=1`);
    }
    if (intent === "changes") {
      await api.billing.portal.requestChanges({ token, comment: formText(form, "comment") });
      return redirect(`/portal/${token}?asked=1`);
    }
    if (intent === "proof") {
      const decision = formText(form, "decision") === "approved" ? "approved" : "rejected";
      await api.billing.portal.decideProof({
        token,
        decision,
        name: formText(form, "name"),
        comment: formText(form, "comment"),
      });
      return redirect(`/portal/${token}?${decision === "approved" ? "approved" : "asked"}=1`);
    }
    if (intent === "pay") {
      const { url } = await api.billing.portal.pay({ token });
      return redirect(url);
    }
  } catch (error) {
    return json({ intent, ...actionErrors(error) }, { status: 400 });
  }
  return json(
    { intent, formError: "Unknown action", fieldErrors: {} as Record<string, string> },
    { status: 400 },
  );
}

type PortalPageData = ReturnType<typeof useLoaderData<typeof loader>>["page"];

function ProofDecision({ page }: { page: Extract<PortalPageData, { type: "proof" }> }) {
  const { dateTime: formatDateTime } = useFormat();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const error = result?.intent === "proof" ? result : undefined;
  if (page.status !== "pending") {
    return (
      <p>
        <Badge tone={page.status === "approved" ? "green" : "red"}>
          {page.status === "approved" ? "Approved" : "Changes requested"}
        </Badge>{" "}
        by {page.decidedName} {page.decidedAt ? `on ${formatDateTime(page.decidedAt)}` : ""}
        {page.comment ? `: ${page.comment}` : ""}
      </p>
    );
  }
  return (
    <Card>
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="proof" />
        <p className="text-sm">Printing starts once you approve this proof ({page.fileName}).</p>
        <TextField
          label="Your full name"
          name="name"
          autoComplete="name"
          required
          error={error?.fieldErrors?.name}
        />
        <TextField label="Comment (what should change?)" name="comment" error={error?.fieldErrors?.comment} />
        {error?.formError ? <Alert tone="error">{error.formError}</Alert> : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" name="decision" value="approved" disabled={busy}>
            Approve proof
          </Button>
          <Button type="submit" name="decision" value="rejected" variant="secondary" disabled={busy}>
            Ask for changes
          </Button>
        </div>
      </Form>
    </Card>
  );
}

export default function Portal() {
  const { dateTime: formatDateTime } = useFormat();
  const { page, token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const errorFor = (intent: string) => (result?.intent === intent ? result : undefined);
  if (page.type === "proof") {
    return (
      <main id="main" className="mx-auto max-w-2xl space-y-4 px-4 py-8">
        <p className="text-sm text-slate-600 dark:text-slate-400">{page.shopName}</p>
        <h1 className="text-2xl font-bold">{page.title}</h1>
        {params.get("approved") ? <Alert tone="success">Approved. The shop has been told.</Alert> : null}
        {params.get("asked") ? <Alert tone="success">Your comments were sent to the shop.</Alert> : null}
        <ProofViewer token={token} fileName={page.fileName} viewKind={page.viewKind} />
        <ProofDecision page={page} />
      </main>
    );
  }
  return (
    <main id="main" className="mx-auto max-w-2xl space-y-4 px-4 py-8">
      <p className="text-sm text-slate-600 dark:text-slate-400">{page.shopName}</p>
      <h1 className="text-2xl font-bold">{page.title}</h1>
      {params.get("paid") ? <Alert tone="success">Thank you: your payment was received.</Alert> : null}
      {params.get("approved") ? <Alert tone="success">Approved. The shop has been told.</Alert> : null}
      {params.get("asked") ? <Alert tone="success">Your request was sent to the shop.</Alert> : null}
      {page.type === "estimate" ? (
        <p>
          <Badge tone={page.status === "approved" ? "green" : "slate"}>
            {page.status === "approved"
              ? "Approved"
              : page.status === "changes_requested"
                ? "Changes requested"
                : "Awaiting your approval"}
          </Badge>{" "}
          Version {page.version}
          {page.validUntil ? ` · valid until ${page.validUntil}` : ""}
        </p>
      ) : (
        <p>
          <Badge tone={page.statusKey === "paid" ? "green" : page.statusKey === "overdue" ? "red" : "slate"}>
            {page.status}
          </Badge>{" "}
          {page.issueDate ? `Issued ${page.issueDate}` : ""}
          {page.kind === "invoice" && page.dueDate ? ` · due ${page.dueDate}` : ""}
        </p>
      )}
      <Card>
        <table className="w-full text-sm">
          <caption className="sr-only">Lines</caption>
          <thead>
            <tr className="text-left text-slate-600 dark:text-slate-400">
              <th scope="col" className="py-1 font-medium">
                Description
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Qty
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Unit price
              </th>
            </tr>
          </thead>
          <tbody>
            {page.lines.map((l, i) => (
              <tr key={`${i}-${l.description}`}>
                <td className="py-1">{l.description}</td>
                <td className="py-1 text-right tabular-nums">{l.quantity}</td>
                <td className="py-1 text-right tabular-nums">{l.unit}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="mt-4 grid grid-cols-2 gap-y-1 text-sm">
          {page.totals.map((t) => (
            <div key={t.label} className={`contents ${t.strong ? "font-semibold" : ""}`}>
              <dt>{t.label}</dt>
              <dd className="text-right tabular-nums">{t.value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {page.notes ? <p className="whitespace-pre-line text-sm">{page.notes}</p> : null}

      {page.type === "estimate" ? (
        <>
          {page.deposit ? (
            <p className="text-sm">
              Deposit: <strong>{page.deposit}</strong>
              {page.depositPaid ? ` (paid ${page.depositPaid})` : ""}
            </p>
          ) : null}
          {page.status === "approved" ? (
            <>
              <p className="text-sm">
                Approved by {page.approvedName} on {page.approvedAt ? formatDateTime(page.approvedAt) : ""}.
              </p>
              {page.depositDue ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="pay" />
                  <Button type="submit" disabled={busy}>
                    Pay the deposit of {page.depositDue}
                  </Button>
                  {errorFor("pay")?.formError ? (
                    <Alert tone="error">{errorFor("pay")?.formError}</Alert>
                  ) : null}
                </Form>
              ) : null}
            </>
          ) : page.expired ? (
            <Alert tone="warning">This estimate has expired. Ask the shop for a new one.</Alert>
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              <Card>
                <Form method="post" className="space-y-3">
                  <h2 className="font-semibold">Approve</h2>
                  <input type="hidden" name="intent" value="approve" />
                  <TextField
                    label="Type your full name to approve"
                    name="name"
                    autoComplete="name"
                    required
                    error={errorFor("approve")?.fieldErrors?.name}
                  />
                  {errorFor("approve")?.formError ? (
                    <Alert tone="error">{errorFor("approve")?.formError}</Alert>
                  ) : null}
                  <Button type="submit" disabled={busy}>
                    Approve this estimate
                  </Button>
                </Form>
              </Card>
              <Card>
                <Form method="post" className="space-y-3">
                  <h2 className="font-semibold">Ask for changes</h2>
                  <input type="hidden" name="intent" value="changes" />
                  <TextField
                    label="What should change?"
                    name="comment"
                    required
                    error={errorFor("changes")?.fieldErrors?.comment}
                  />
                  <Button type="submit" variant="secondary" disabled={busy}>
                    Send to the shop
                  </Button>
                </Form>
              </Card>
            </div>
          )}
        </>
      ) : (
        <>
          {page.voidReason ? <Alert tone="warning">This invoice is void: {page.voidReason}</Alert> : null}
          {page.payments.length ? (
            <dl className="grid grid-cols-2 gap-y-1 text-sm">
              {page.payments.map((p, i) => (
                <div key={`${i}-${p.label}`} className="contents">
                  <dt>{p.label}</dt>
                  <dd className="text-right tabular-nums">{p.value}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <p className="flex flex-wrap gap-3">
            <a className="underline" href={`/portal/${token}/pdf`}>
              Download PDF
            </a>
          </p>
          {page.due ? (
            <Form method="post">
              <input type="hidden" name="intent" value="pay" />
              <Button type="submit" disabled={busy}>
                Pay {page.due} now
              </Button>
              {errorFor("pay")?.formError ? <Alert tone="error">{errorFor("pay")?.formError}</Alert> : null}
            </Form>
          ) : null}
        </>
      )}
    </main>
  );
}
