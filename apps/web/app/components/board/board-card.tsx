import { Badge, buttonClass, cx } from "@ktizo/ui";
import type { DragEvent, FormEvent } from "react";
import { linkClass } from "~/components/shop/controls";
import { forwardStatus, PRIORITY_LABELS, STATUS_LABELS } from "~/components/shop/format";
import type { RouterOutputs, Served } from "~/lib/api-types";
import type { Formatters } from "~/lib/format";
import { ListLink } from "~/lib/list-links";

type BoardOutputJob = RouterOutputs["job"]["board"][number]["jobs"][number];

/**
 * What a card shows of a job: the board's loader sends only these fields (400 cards of the busy shop's
 * board are serialised into the page; the rest of job.board's card was a third of it, never read).
 */
export function boardJob(job: BoardOutputJob) {
  const { id, number, title, status, priority, rush, overdue, customerName, dueAt, currency, totalMinor } =
    job;
  return {
    id,
    number,
    title,
    status,
    priority,
    rush,
    overdue,
    customerName,
    dueAt,
    currency,
    totalMinor,
    printerName: job.printerName,
    nextStatuses: job.nextStatuses,
  };
}

/** A job on the board, in its status column. */
export type BoardJob = Served<ReturnType<typeof boardJob>>;

// Built once: a busy board draws hundreds of cards.
const CARD_LINK = cx(linkClass, "block");
const MOVE_BUTTON = buttonClass("secondary", "px-2 py-1 text-xs");

/**
 * A job's card: title, customer, badges, due date and total, and its moves: the forward step as a button,
 * the other allowed statuses in a select, and "Schedule…" when approved needs a printer and a time. It can
 * be dragged when the job has somewhere to go.
 */
export function BoardCard({
  job,
  format,
  busy,
  dragging,
  onDragStart,
  onDragEnd,
  onMove,
}: {
  job: BoardJob;
  /** The page's formatters (useFormat once for the board, not once per card). */
  format: Pick<Formatters, "date" | "money">;
  busy: boolean;
  dragging: boolean;
  onDragStart: (event: DragEvent) => void;
  onDragEnd: (event: DragEvent) => void;
  /**
   * Sends a move form through the router (the board's one `useSubmit`): a card's forms are plain forms,
   * since a router `<Form>` per form was a sixth of the board's server render. Without JavaScript they
   * post to the page itself.
   */
  onMove: (event: FormEvent<HTMLFormElement>) => void;
}) {
  const { date: formatDate, money: formatMoney } = format;
  // "Scheduled" needs a printer and a time: the schedule page sets both.
  const needsSlot = job.status === "approved" && !job.nextStatuses.includes("scheduled");
  const forward = forwardStatus(job.status, job.nextStatuses);
  const others = job.nextStatuses.filter((s) => s !== forward);
  return (
    <li
      data-job={job.number}
      draggable={job.nextStatuses.length > 0 && !busy}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      className={cx(
        "rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700",
        job.nextStatuses.length > 0 && "cursor-grab",
        dragging && "opacity-60",
        busy && "opacity-60",
      )}
    >
      <ListLink href={`/org/jobs/${job.id}`} className={CARD_LINK}>
        {`#${job.number} ${job.title}`}
      </ListLink>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{job.customerName}</p>
      <div className="mt-2 flex flex-wrap gap-1">
        {job.priority !== "normal" ? (
          <Badge tone={job.priority === "low" ? "slate" : "amber"}>{PRIORITY_LABELS[job.priority]}</Badge>
        ) : null}
        {job.rush ? <Badge tone="red">Rush</Badge> : null}
        {job.overdue ? <Badge tone="red">Overdue</Badge> : null}
      </div>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        {`Due ${formatDate(job.dueAt)} · ${formatMoney(job.totalMinor, job.currency)}${job.printerName ? ` · ${job.printerName}` : ""}`}
      </p>
      {forward || needsSlot || others.length ? (
        // One form for the card's moves (a busy board draws hundreds): the forward button sends its status
        // as `forward`, which the action takes before the select's `to`.
        <form method="post" onSubmit={onMove} className="mt-3 flex flex-wrap items-center gap-2">
          <input type="hidden" name="jobId" value={job.id} />
          <input type="hidden" name="number" value={job.number} />
          {needsSlot ? (
            <ListLink
              href={`/org/schedule?job=${job.id}`}
              className={MOVE_BUTTON}
              aria-label={`Schedule job #${job.number} on a printer`}
            >
              → Schedule…
            </ListLink>
          ) : null}
          {forward ? (
            <button
              type="submit"
              name="forward"
              value={forward}
              disabled={busy}
              className={MOVE_BUTTON}
              aria-label={`Move job #${job.number} to ${STATUS_LABELS[forward]}`}
            >
              {`→ ${STATUS_LABELS[forward]}`}
            </button>
          ) : null}
          {others.length ? (
            <span className="flex items-center gap-1">
              <label htmlFor={`move-${job.id}`} className="sr-only">
                {`Move job #${job.number} to`}
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
            </span>
          ) : null}
        </form>
      ) : null}
    </li>
  );
}
