import { Alert, Badge } from "@ktizo/ui";
import { Link, useSearchParams } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { PRIORITY_LABELS } from "~/components/shop/format";
import { StatusBadge } from "~/components/shop/status-badge";
import { useFormat } from "~/lib/format";
import { resultFor } from "~/lib/forms";
import type { JobActionResult, JobView } from "./types";

/** The messages at the top of the job page: where the job came from and what the last step did. */
export function JobNotices({ job, data }: { job: JobView; data: JobActionResult | undefined }) {
  const [params] = useSearchParams();
  const suggestion = resultFor(data, "suggestion");
  const uploadError = params.get("uploadError");
  return (
    <>
      {job.orderId ? (
        <Alert tone="info">
          From a marketplace order:{" "}
          <Link to={`/orders/shop/${job.orderId}`} className={linkClass}>
            open the order (customer messages, shipping address, payment)
          </Link>
        </Alert>
      ) : null}
      {params.get("created") ? <Alert tone="success">Job #{job.number} is created.</Alert> : null}
      {params.get("uploaded") ? <Alert tone="success">The file is attached.</Alert> : null}
      {uploadError ? <Alert tone="error">{uploadError}</Alert> : null}
      {params.get("applied") ? (
        <Alert tone="success">Suggestion applied: {params.get("applied")}</Alert>
      ) : null}
      {suggestion ? (
        <Alert tone={suggestion.ok ? "success" : "error"}>{suggestion.message ?? suggestion.formError}</Alert>
      ) : null}
    </>
  );
}

/** One line of badges: status, priority, rush, overdue, due date and the printer it is on. */
export function JobStatusLine({ job }: { job: JobView }) {
  const { date: formatDate, dateTime: formatWhen } = useFormat();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <StatusBadge status={job.status} />
      <Badge tone={job.priority === "urgent" || job.priority === "high" ? "amber" : "slate"}>
        {PRIORITY_LABELS[job.priority]} priority
      </Badge>
      {job.rush ? <Badge tone="red">Rush</Badge> : null}
      {job.overdue ? <Badge tone="red">Overdue</Badge> : null}
      <span className="text-sm text-slate-600 dark:text-slate-400">Due {formatDate(job.dueAt)}</span>
      {job.printer ? (
        <span className="text-sm text-slate-600 dark:text-slate-400">
          · on {job.printer.name} {formatWhen(job.scheduledStartAt)} → {formatWhen(job.scheduledEndAt)}
        </span>
      ) : null}
    </div>
  );
}
