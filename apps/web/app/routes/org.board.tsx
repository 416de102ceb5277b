import { Alert, Badge, buttonClass, cx } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import {
  formatDate,
  formatMoney,
  forwardStatus,
  type JobStatus,
  NEXT_STATUSES,
  PRIORITY_LABELS,
  STATUS_LABELS,
} from "~/components/shop/format";
import { ShopPage } from "~/components/shop/shop-page";
import { attempt, formText, resultFor } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Board · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const search = params.get("q")?.trim() || undefined;
  const columns = await org.api.job.board({ search, perColumn: 50, closedWithinDays: 14 });
  return json({ ...shellData(org), columns, search: search ?? "" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const jobId = formText(form, "jobId");
  const to = formText(form, "to") as JobStatus;
  return attempt(
    "move",
    () => api.job.changeStatus({ jobId, to }),
    `Job #${formText(form, "number")} moved to ${STATUS_LABELS[to] ?? to}.`,
  );
}

export default function Board() {
  const { columns, search, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const result = resultFor(data, "move");
  const navigation = useNavigation();
  const moving = navigation.state !== "idle" ? navigation.formData?.get("jobId") : null;
  return (
    <ShopPage
      shell={shell}
      title="Board"
      description="Jobs by status. Move a job with its button, or pick any allowed status."
      actions={
        <Link to="/org/jobs/new" className={buttonClass("primary")}>
          New job
        </Link>
      }
    >
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the board">
        <div>
          <label htmlFor="board-q" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Find a job
          </label>
          <input
            id="board-q"
            type="search"
            name="q"
            defaultValue={search}
            placeholder="Title, customer or #number"
            className="mt-1 block w-64 rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600 dark:bg-slate-900 dark:ring-slate-700"
          />
        </div>
        <button type="submit" className={buttonClass("secondary")}>
          Filter
        </button>
      </form>
      <div aria-live="polite">
        {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
        {result && !result.ok ? (
          <Alert tone="error">
            {result.formError ??
              (Object.values(result.fieldErrors).join(" ") || "The job could not be moved.")}
          </Alert>
        ) : null}
      </div>
      <div className="-mx-4 overflow-x-auto px-4 pb-4">
        <ol className="flex min-w-max gap-4" aria-label="Board columns">
          {columns.map((col) => (
            <li key={col.status} className="w-72 shrink-0 rounded-xl bg-slate-100 p-3 dark:bg-slate-900/60">
              <section aria-labelledby={`col-${col.status}`}>
                <h2
                  id={`col-${col.status}`}
                  className="mb-3 flex items-center justify-between text-sm font-semibold"
                >
                  {col.label}
                  <span className="rounded-full bg-white px-2 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                    <span className="sr-only">Jobs: </span>
                    {col.count}
                  </span>
                </h2>
                {col.jobs.length === 0 ? (
                  <p className="text-xs text-slate-500 dark:text-slate-400">No jobs</p>
                ) : (
                  <ul className="space-y-3">
                    {col.jobs.map((job) => {
                      // "Scheduled" needs a printer and a time: the schedule page sets both.
                      const needsSlot = job.status === "approved";
                      const forward = needsSlot ? null : forwardStatus(job.status);
                      const others = NEXT_STATUSES[job.status].filter(
                        (s) => s !== forward && !(needsSlot && s === "scheduled"),
                      );
                      const busy = moving === job.id;
                      return (
                        <li
                          key={job.id}
                          data-job={job.number}
                          className={cx(
                            "rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700",
                            busy && "opacity-60",
                          )}
                        >
                          <Link to={`/org/jobs/${job.id}`} className={cx(linkClass, "block")}>
                            #{job.number} {job.title}
                          </Link>
                          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                            {job.customerName}
                          </p>
                          <div className="mt-2 flex flex-wrap gap-1">
                            {job.priority !== "normal" ? (
                              <Badge tone={job.priority === "low" ? "slate" : "amber"}>
                                {PRIORITY_LABELS[job.priority]}
                              </Badge>
                            ) : null}
                            {job.rush ? <Badge tone="red">Rush</Badge> : null}
                            {job.overdue ? <Badge tone="red">Overdue</Badge> : null}
                          </div>
                          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
                            Due {formatDate(job.dueAt)} · {formatMoney(job.totalMinor, job.currency)}
                            {job.printerName ? ` · ${job.printerName}` : ""}
                          </p>
                          {forward || needsSlot || others.length ? (
                            <div className="mt-3 flex flex-wrap items-center gap-2">
                              {needsSlot ? (
                                <Link
                                  to={`/org/schedule?job=${job.id}`}
                                  className={buttonClass("secondary", "px-2 py-1 text-xs")}
                                  aria-label={`Schedule job #${job.number} on a printer`}
                                >
                                  → Schedule…
                                </Link>
                              ) : null}
                              {forward ? (
                                <Form method="post">
                                  <input type="hidden" name="jobId" value={job.id} />
                                  <input type="hidden" name="number" value={job.number} />
                                  <input type="hidden" name="to" value={forward} />
                                  <button
                                    type="submit"
                                    disabled={busy}
                                    className={buttonClass("secondary", "px-2 py-1 text-xs")}
                                    aria-label={`Move job #${job.number} to ${STATUS_LABELS[forward]}`}
                                  >
                                    → {STATUS_LABELS[forward]}
                                  </button>
                                </Form>
                              ) : null}
                              {others.length ? (
                                <Form method="post" className="flex items-center gap-1">
                                  <input type="hidden" name="jobId" value={job.id} />
                                  <input type="hidden" name="number" value={job.number} />
                                  <label htmlFor={`move-${job.id}`} className="sr-only">
                                    Move job #{job.number} to
                                  </label>
                                  <select
                                    id={`move-${job.id}`}
                                    name="to"
                                    defaultValue={others[0]}
                                    className="rounded-md border-0 bg-white py-1 pl-2 pr-7 text-xs ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
                                  >
                                    {others.map((s) => (
                                      <option key={s} value={s}>
                                        {STATUS_LABELS[s]}
                                      </option>
                                    ))}
                                  </select>
                                  <button
                                    type="submit"
                                    disabled={busy}
                                    className="text-xs font-semibold text-brand-700 hover:underline dark:text-brand-300"
                                    aria-label={`Move job #${job.number}`}
                                  >
                                    Move
                                  </button>
                                </Form>
                              ) : null}
                            </div>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                )}
                {col.count > col.jobs.length ? (
                  <Link to={`/org/jobs?status=${col.status}`} className={cx(linkClass, "mt-3 block text-xs")}>
                    All {col.count} {col.label.toLowerCase()} jobs
                  </Link>
                ) : null}
              </section>
            </li>
          ))}
        </ol>
      </div>
    </ShopPage>
  );
}
