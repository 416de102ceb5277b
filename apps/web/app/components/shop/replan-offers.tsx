import { Alert, buttonClass } from "@ktizo/ui";
import { Link } from "@remix-run/react";

export interface ReplanOfferView {
  kind: "printer_offline" | "running_late" | "rush_job";
  subjectId: string;
  reason: string;
}

/**
 * "Re-plan" when the schedule no longer fits what happened (a printer went offline, a job runs late, a
 * rush job arrived), with the reasons; it opens the plan preview with moves allowed. Nothing changes
 * until the plan is accepted there.
 */
export function ReplanOffers({
  offers,
  compact = false,
}: {
  offers: readonly ReplanOfferView[];
  compact?: boolean;
}) {
  if (offers.length === 0) return null;
  const shown = compact ? offers.slice(0, 2) : offers;
  return (
    <Alert tone="warning">
      <div
        className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between"
        data-testid="replan-offer"
      >
        <div>
          <p className="font-medium">The schedule may need a new plan:</p>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {shown.map((o) => (
              <li key={`${o.kind}:${o.subjectId}`}>{o.reason}</li>
            ))}
            {offers.length > shown.length ? <li>and {offers.length - shown.length} more</li> : null}
          </ul>
        </div>
        <Link to="/org/schedule/plan?moves=1" className={`${buttonClass("primary")} shrink-0`}>
          Re-plan
        </Link>
      </div>
    </Alert>
  );
}
