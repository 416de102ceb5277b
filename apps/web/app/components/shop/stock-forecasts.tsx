import { Badge, Button, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { useFormat } from "~/lib/format";

export interface StockForecastView {
  materialId: string;
  materialName: string;
  onHandG: number;
  reorderThresholdG: number;
  scheduledJobs: number;
  runsLowAt: string | null;
  runsOutAt: string | null;
  reorderG: number;
  coverDays: number;
  basis: string;
}

/** Low-stock forecasts from the scheduled jobs, with a reorder amount; dismissable, answers recorded. */
export function StockForecasts({ forecasts }: { forecasts: readonly StockForecastView[] }) {
  const { dateTime } = useFormat();
  if (forecasts.length === 0) return null;
  return (
    <Section
      id="forecasts"
      title="Stock forecast"
      description="From stock on hand and the scheduled jobs' material, in the order they start."
    >
      <ul className="space-y-4 text-sm">
        {forecasts.map((f) => (
          <li key={f.materialId}>
            <p className="font-medium">
              {f.runsOutAt
                ? `${f.materialName} runs out ${dateTime(f.runsOutAt)}`
                : `${f.materialName} falls below ${f.reorderThresholdG} g ${dateTime(f.runsLowAt)}`}
              {f.runsOutAt ? (
                <span className="ml-2">
                  <Badge tone="red">Runs out</Badge>
                </span>
              ) : (
                <span className="ml-2">
                  <Badge tone="amber">Runs low</Badge>
                </span>
              )}
            </p>
            <p className="text-slate-600 dark:text-slate-400">
              Reorder {f.reorderG} g to cover the next {f.coverDays} days of scheduled work.{" "}
              <Badge tone="slate">Source: {f.basis}</Badge>
            </p>
            <div className="mt-2 flex flex-wrap gap-2">
              <Form method="post">
                <input type="hidden" name="intent" value="reorder" />
                <input type="hidden" name="id" value={f.materialId} />
                <input type="hidden" name="outcome" value="accepted" />
                <Button type="submit">Reorder {f.reorderG} g</Button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="reorder" />
                <input type="hidden" name="id" value={f.materialId} />
                <input type="hidden" name="outcome" value="dismissed" />
                <Button type="submit" variant="secondary">
                  Dismiss
                </Button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
    </Section>
  );
}
