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
  SelectField,
  Table,
  Td,
  Th,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ReauthField } from "~/components/reauth-field";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Background work · Ktizo admin" }];

const STATES = ["failed", "retry", "created", "active", "cancelled", "completed"] as const;
type State = (typeof STATES)[number];
const isState = (v: string | null): v is State => STATES.some((s) => s === v);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const params = new URL(request.url).searchParams;
  const { page } = listQuery(params);
  const stateParam = params.get("state");
  const state = isState(stateParam) ? stateParam : "failed";
  const queue = params.get("queue") || undefined;
  const [queues, jobs, reauth] = await Promise.all([
    api.admin.jobs.queues(),
    api.admin.jobs.list({ page, state, queue: queue && /^[\w.-]{1,100}$/.test(queue) ? queue : undefined }),
    api.admin.session.reauth(),
  ]);
  return json({ queues, jobs, state, queue: queue ?? "", reauth: reauth.required });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  const action = form.get("intent") === "cancel" ? "cancel" : "retry";
  try {
    await api.admin.jobs.act({
      id,
      queue: String(form.get("queue") ?? ""),
      action,
      password: String(form.get("password") ?? "") || undefined,
    });
    return json({
      ok: true,
      message: action === "retry" ? "The job will run again." : "The job is cancelled.",
    });
  } catch (error) {
    const errors = actionErrors(error);
    const message = errors.formError ?? errors.fieldErrors.password ?? "That did not work.";
    return json({ ok: false, message }, { status: 400 });
  }
}

const STATE_TONE = {
  created: "slate",
  retry: "amber",
  active: "blue",
  completed: "green",
  cancelled: "slate",
  failed: "red",
} as const;

export default function Jobs() {
  const { queues, jobs, state, queue, reauth } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader
        title="Background work"
        description="The pg-boss queues: jobs by state, failed jobs with their error, recurring schedules (UTC) and when each last ran."
      />
      {result ? <Alert tone={result.ok ? "success" : "error"}>{result.message}</Alert> : null}
      <section aria-labelledby="queues-heading" className="mb-8">
        <h2 id="queues-heading" className="mb-3 font-semibold">
          Queues
        </h2>
        {queues.length === 0 ? (
          <EmptyState title="No queues yet">Background work has not started on this platform.</EmptyState>
        ) : (
          <Table caption="Queues">
            <thead>
              <tr>
                <Th>Queue</Th>
                <Th>Waiting</Th>
                <Th>Running</Th>
                <Th>Failed</Th>
                <Th>Done</Th>
                <Th>Schedule</Th>
                <Th>Last ran</Th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.name}>
                  <Td className="font-medium">{q.name}</Td>
                  <Td>{q.counts.created + q.counts.retry}</Td>
                  <Td>{q.counts.active}</Td>
                  <Td>
                    {q.counts.failed > 0 ? (
                      <a
                        href={`?state=failed&queue=${encodeURIComponent(q.name)}`}
                        className="font-semibold text-red-700 underline dark:text-red-300"
                      >
                        {q.counts.failed}
                      </a>
                    ) : (
                      0
                    )}
                  </Td>
                  <Td>{q.counts.completed}</Td>
                  <Td className="whitespace-nowrap">{q.cron ? `${q.cron} (${q.timezone ?? "UTC"})` : "–"}</Td>
                  <Td className="whitespace-nowrap">
                    {q.lastStartedAt ? formatDateTime(q.lastStartedAt) : "never"}
                    {q.lastState ? (
                      <span className="ml-1">
                        <Badge tone={STATE_TONE[q.lastState]}>{q.lastState}</Badge>
                      </span>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading" className="mb-3 font-semibold">
          Jobs
        </h2>
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <SelectField label="State" name="state" defaultValue={state}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
          <SelectField label="Queue" name="queue" defaultValue={queue}>
            <option value="">All</option>
            {queues.map((q) => (
              <option key={q.name} value={q.name}>
                {q.name}
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="secondary">
            Show
          </Button>
        </Form>
        <PagedTable
          caption="Jobs"
          list={jobs}
          params={params}
          pagerWhenEmpty
          empty={<EmptyState title={`No ${state} jobs`} />}
          columns={
            <>
              <Th>Job</Th>
              <Th>State</Th>
              <Th>Attempts</Th>
              <Th>Created</Th>
              <Th className="text-right">Actions</Th>
            </>
          }
          row={(j) => (
            <tr key={j.id}>
              <Td>
                <p className="font-medium">{j.queue}</p>
                <p className="break-all text-xs text-slate-600 dark:text-slate-400">{j.id}</p>
                {j.error ? (
                  <p className="mt-1 max-w-md break-words text-xs text-red-700 dark:text-red-300">
                    {j.error}
                  </p>
                ) : null}
              </Td>
              <Td>
                <Badge tone={STATE_TONE[j.state]}>{j.state}</Badge>
              </Td>
              <Td>
                {j.attempts} of {j.retryLimit + 1}
              </Td>
              <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
                {formatDateTime(j.createdAt)}
              </Td>
              <Td className="text-right">
                {j.state === "failed" || ["created", "retry", "active"].includes(j.state) ? (
                  <Form method="post">
                    <input type="hidden" name="id" value={j.id} />
                    <input type="hidden" name="queue" value={j.queue} />
                    {j.state === "failed" ? (
                      <Button type="submit" name="intent" value="retry" variant="secondary">
                        Retry<span className="sr-only"> job {j.id}</span>
                      </Button>
                    ) : (
                      <>
                        <ReauthField required={reauth} />
                        <Button type="submit" name="intent" value="cancel" variant="danger">
                          Cancel<span className="sr-only"> job {j.id}</span>
                        </Button>
                      </>
                    )}
                  </Form>
                ) : null}
              </Td>
            </tr>
          )}
        />
      </section>
    </>
  );
}
