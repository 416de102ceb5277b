import { Alert } from "@ktizo/ui";
import { Link } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { type JobStatus, STATUS_LABELS } from "~/components/shop/format";

/** Why a card let go over a column did not move, and where it can go. */
export function RefusedMove({
  job,
  from,
  to,
  allowed,
}: {
  job: number;
  from: JobStatus;
  to: JobStatus;
  allowed: JobStatus[];
}) {
  if (to === "scheduled") {
    return (
      <Alert tone="info">
        Job #{job} goes to Scheduled when it has a printer and a time:{" "}
        <Link to="/org/schedule" className={linkClass}>
          schedule it on the Schedule page
        </Link>{" "}
        or from the job.
      </Alert>
    );
  }
  const targets = allowed.filter((s) => s !== "scheduled").map((s) => STATUS_LABELS[s]);
  return (
    <Alert tone="info">
      Job #{job} cannot go from {STATUS_LABELS[from]} to {STATUS_LABELS[to]}.
      {targets.length ? ` From here it can go to ${targets.join(", ")}.` : ""}
    </Alert>
  );
}
