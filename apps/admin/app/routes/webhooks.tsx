import { formatDateTime } from "@ktizo/api/shared";
import {
  Alert,
  actionErrors,
  Badge,
  Button,
  EmptyState,
  listQuery,
  PagedTable,
  PageHeader,
  SearchForm,
  SelectField,
  Td,
  Th,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Webhooks · Ktizo admin" }];

const OUTCOMES = ["received", "applied", "duplicate", "ignored", "rejected", "failed"] as const;
type Outcome = (typeof OUTCOMES)[number];
const isOutcome = (v: string | null): v is Outcome => OUTCOMES.some((o) => o === v);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const params = new URL(request.url).searchParams;
  const { page, search } = listQuery(params);
  const outcome = params.get("outcome");
  const provider = params.get("provider");
  const events = await api.admin.webhooks.list({
    page,
    q: search,
    outcome: isOutcome(outcome) ? outcome : undefined,
    provider: provider === "stripe" || provider === "twilio" ? provider : undefined,
  });
  return json({ events, search, outcome: isOutcome(outcome) ? outcome : "", provider: provider ?? "" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  try {
    const result = await api.admin.webhooks.replay({ id });
    const message =
      result.outcome === "failed"
        ? `The replay failed again: ${result.error ?? "unknown error"}`
        : `Replayed: ${result.outcome}.`;
    return json({ id, ok: result.outcome !== "failed", message });
  } catch (error) {
    return json(
      { id, ok: false, message: actionErrors(error).formError ?? "The replay was refused." },
      { status: 400 },
    );
  }
}

const OUTCOME_TONE = {
  received: "slate",
  applied: "green",
  duplicate: "slate",
  ignored: "slate",
  rejected: "amber",
  failed: "red",
} as const;

export default function Webhooks() {
  const { events, search, outcome, provider } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Every Stripe and Twilio webhook received: its signature, what it did, and the error of one that failed. A failed one can be replayed; its effect still happens once."
      />
      <SearchForm label="Search by event id or type" defaultValue={search}>
        <SelectField label="Outcome" name="outcome" defaultValue={outcome}>
          <option value="">Any</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </SelectField>
        <SelectField label="Provider" name="provider" defaultValue={provider}>
          <option value="">Any</option>
          <option value="stripe">Stripe</option>
          <option value="twilio">Twilio</option>
        </SelectField>
      </SearchForm>
      {result ? <Alert tone={result.ok ? "success" : "error"}>{result.message}</Alert> : null}
      <PagedTable
        caption="Webhooks"
        list={events}
        params={params}
        pagerWhenEmpty
        empty={<EmptyState title="No webhooks match" />}
        columns={
          <>
            <Th>Event</Th>
            <Th>Signature</Th>
            <Th>Outcome</Th>
            <Th>Received</Th>
            <Th className="text-right">Actions</Th>
          </>
        }
        row={(e) => (
          <tr key={e.id}>
            <Td>
              <p className="font-medium">{e.eventType ?? "(unverified)"}</p>
              <p className="break-all text-xs text-slate-600 dark:text-slate-400">
                {e.provider} · {e.eventId ?? "no id"}
              </p>
            </Td>
            <Td>
              <Badge tone={e.signature === "valid" ? "green" : "amber"}>{e.signature}</Badge>
            </Td>
            <Td>
              <Badge tone={OUTCOME_TONE[e.outcome]}>{e.outcome}</Badge>
              {e.attempts > 1 ? (
                <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">{e.attempts} attempts</span>
              ) : null}
              {e.error ? (
                <p className="mt-1 max-w-xs break-words text-xs text-red-700 dark:text-red-300">{e.error}</p>
              ) : null}
            </Td>
            <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatDateTime(e.receivedAt)}
            </Td>
            <Td className="text-right">
              {e.replayable ? (
                <Form method="post">
                  <input type="hidden" name="id" value={e.id} />
                  <Button type="submit" variant="secondary">
                    Replay<span className="sr-only"> {e.eventId}</span>
                  </Button>
                </Form>
              ) : null}
            </Td>
          </tr>
        )}
      />
    </>
  );
}
