import { Badge, Button, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";

/** The job page's suggestions (job.suggestions.forJob) as the page receives them. */
export type JobSuggestionsView = Served<RouterOutputs["job"]["suggestions"]["forJob"]>;

function Answer({ kind, accept }: { kind: string; accept: string }) {
  return (
    <div className="mt-2 flex flex-wrap gap-2">
      <Form method="post">
        <input type="hidden" name="intent" value="suggestion" />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="outcome" value="accepted" />
        <Button type="submit">{accept}</Button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="suggestion" />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="outcome" value="dismissed" />
        <Button type="submit" variant="secondary">
          Dismiss
        </Button>
      </Form>
    </div>
  );
}

/**
 * Suggestions from the shop's own records (no AI): each says where it came from, and what the user does
 * with it is recorded. Hidden when there is nothing to suggest.
 */
export function JobSuggestions({ suggestions }: { suggestions: JobSuggestionsView }) {
  const { money } = useFormat();
  const { printerMaterial: pm, priceCheck: pc } = suggestions;
  if (!pm && !pc) return null;
  return (
    <Section id="suggestions" title="Suggestions" description="From your shop's own past jobs.">
      <ul className="space-y-4 text-sm">
        {pm ? (
          <li>
            <p className="font-medium">
              {[
                pm.printerName ? `Print on ${pm.printerName}` : null,
                pm.materialName ? `${pm.printerName ? "in" : "Use"} ${pm.materialName}` : null,
              ]
                .filter(Boolean)
                .join(" ")}
            </p>
            <p className="text-slate-600 dark:text-slate-400">
              {pm.printerName
                ? `${pm.printerName}: used on ${pm.printerJobs} of ${pm.similarJobs} similar jobs. `
                : ""}
              {pm.materialName
                ? `${pm.materialName}: used on ${pm.materialJobs} of ${pm.similarJobs} similar jobs. `
                : ""}
              <Badge tone="slate">Source: {pm.basis}</Badge>
            </p>
            <Answer kind="printer_material" accept={pm.materialName ? "Use this" : "Schedule there"} />
          </li>
        ) : null}
        {pc ? (
          <li>
            <p className="font-medium">
              Price check: {money(pc.totalMinor, pc.currency)} is{" "}
              {pc.direction === "above" ? "above" : "below"} what similar jobs cost
            </p>
            <p className="text-slate-600 dark:text-slate-400">
              Similar jobs were priced {money(pc.lowMinor, pc.currency)}–{money(pc.highMinor, pc.currency)}{" "}
              (median {money(pc.medianMinor, pc.currency)}).{" "}
              <Badge tone="slate">
                Source: {pc.basis}, {pc.similarJobs} jobs
              </Badge>
            </p>
            <Answer kind="price_check" accept="Noted" />
          </li>
        ) : null}
      </ul>
    </Section>
  );
}
