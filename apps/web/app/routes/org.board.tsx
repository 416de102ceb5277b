import { Alert, buttonClass, cx } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { type DragEvent, type FormEvent, useState } from "react";
import { BoardCard, boardJob } from "~/components/board/board-card";
import { RefusedMove } from "~/components/board/refused-move";
import { linkClass } from "~/components/shop/controls";
import { type JobStatus, STATUS_LABELS } from "~/components/shop/format";
import { ReplanOffers } from "~/components/shop/replan-offers";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, formText, resultFor } from "~/lib/forms";
import { useListLinks } from "~/lib/list-links";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Board · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const search = params.get("q")?.trim() || undefined;
  const [columns, offers] = await Promise.all([
    org.api.job.board({ search, perColumn: 50, closedWithinDays: 14 }),
    org.api.job.plan.offers(),
  ]);
  return json({
    ...shellData(org),
    columns: columns.map(({ jobs, ...column }) => ({ ...column, jobs: jobs.map(boardJob) })),
    offers: offers.offers,
    search: search ?? "",
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const jobId = formText(form, "jobId");
  // A card's forward button names its status; otherwise the card's select (or a drop) gives it.
  const to = (formText(form, "forward") || formText(form, "to")) as JobStatus;
  return attempt(
    "move",
    () => api.job.changeStatus({ jobId, to }),
    `Job #${formText(form, "number")} moved to ${STATUS_LABELS[to] ?? to}.`,
  );
}

/** The card being dragged: the columns it may be dropped on are the moves the server allows for it. */
interface Dragged {
  id: string;
  number: number;
  status: JobStatus;
  nextStatuses: readonly JobStatus[];
}

const DRAG_TYPE = "application/x-ktizo-job";

export default function Board() {
  const { columns, search, offers, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const format = useFormat();
  const result = resultFor(data, "move");
  const navigation = useNavigation();
  const submit = useSubmit();
  const moving = navigation.state !== "idle" ? navigation.formData?.get("jobId") : null;
  const [dragged, setDragged] = useState<Dragged | null>(null);
  const [over, setOver] = useState<JobStatus | null>(null);
  // The last refused column the card was held over, and what the page says when it is let go there.
  const [refusedOver, setRefusedOver] = useState<JobStatus | null>(null);
  const [refusal, setRefusal] = useState<{
    job: number;
    to: JobStatus;
    from: JobStatus;
    allowed: JobStatus[];
  } | null>(null);
  const accepts = (status: JobStatus) => dragged?.nextStatuses.includes(status) === true;
  // A column only takes the drop when the workflow allows the move: otherwise the browser shows "no drop".
  const onDragOver = (status: JobStatus) => (event: DragEvent) => {
    if (dragged && status !== dragged.status) setRefusedOver(accepts(status) ? null : status);
    if (!accepts(status)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (over !== status) setOver(status);
  };
  const onDrop = (status: JobStatus) => (event: DragEvent) => {
    event.preventDefault();
    const job = dragged;
    setDragged(null);
    setOver(null);
    setRefusedOver(null);
    setRefusal(null);
    if (!job?.nextStatuses.includes(status) || event.dataTransfer.getData(DRAG_TYPE) !== job.id) return;
    submit({ jobId: job.id, number: String(job.number), to: status }, { method: "post" });
  };
  const onListClick = useListLinks();
  const onMove = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The button pressed, so the forward button's status goes with the form.
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    submit(submitter ?? event.currentTarget, { method: "post" });
  };
  return (
    <ShopPage
      shell={shell}
      title="Board"
      description="Jobs by status. Drag a card to another column, use its button, or pick any allowed status."
      actions={
        <Link to="/org/jobs/new" className={buttonClass("primary")}>
          New job
        </Link>
      }
    >
      <ReplanOffers offers={offers} compact />
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
        {refusal ? <RefusedMove {...refusal} /> : null}
        {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
        {result && !result.ok ? (
          <Alert tone="error">
            {result.formError ??
              (Object.values(result.fieldErrors).join(" ") || "The job could not be moved.")}
          </Alert>
        ) : null}
      </div>
      {/* relative: the columns' absolutely placed screen-reader text is clipped here too, not at the page. */}
      <div className="relative -mx-4 overflow-x-auto px-4 pb-4">
        {/* biome-ignore lint/a11y/useKeyWithClickEvents: the clicks are the cards' own links' (keyboard too: Enter on a link is a click). */}
        <ol className="flex min-w-max gap-4" aria-label="Board columns" onClick={onListClick}>
          {columns.map((col) => (
            <li
              key={col.status}
              data-column={col.status}
              data-drop={dragged ? (accepts(col.status) ? "allowed" : "refused") : undefined}
              onDragOver={onDragOver(col.status)}
              onDragEnter={onDragOver(col.status)}
              onDragLeave={() => (over === col.status ? setOver(null) : undefined)}
              onDrop={onDrop(col.status)}
              className={cx(
                "w-72 shrink-0 rounded-xl bg-slate-100 p-3 transition dark:bg-slate-900/60",
                dragged && accepts(col.status) && "ring-2 ring-dashed ring-brand-400",
                over === col.status && "bg-brand-50 ring-brand-600 dark:bg-brand-950/40",
                dragged && !accepts(col.status) && dragged.status !== col.status && "opacity-50",
              )}
            >
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
                    {col.jobs.map((job) => (
                      <BoardCard
                        key={job.id}
                        job={job}
                        format={format}
                        busy={moving === job.id}
                        onMove={onMove}
                        dragging={dragged?.id === job.id}
                        onDragStart={(event) => {
                          event.dataTransfer.setData(DRAG_TYPE, job.id);
                          event.dataTransfer.effectAllowed = "move";
                          setDragged({
                            id: job.id,
                            number: job.number,
                            status: job.status,
                            nextStatuses: job.nextStatuses,
                          });
                        }}
                        onDragEnd={(event) => {
                          // Let go over a column the workflow refuses: say why instead of nothing.
                          if (event.dataTransfer.dropEffect === "none" && refusedOver) {
                            setRefusal({
                              job: job.number,
                              from: job.status,
                              to: refusedOver,
                              allowed: [...job.nextStatuses],
                            });
                          }
                          setDragged(null);
                          setOver(null);
                          setRefusedOver(null);
                        }}
                      />
                    ))}
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
