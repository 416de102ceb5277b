import { Alert, Badge, Button, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";

/** The user's data exports with their download links, and the button to request a new one. */
export function DataExportSection({
  exports,
  data,
}: {
  exports: Served<RouterOutputs["privacy"]["exports"]["list"]>;
  data: FormResult | undefined;
}) {
  const { dateTime: formatDateTime } = useFormat();
  const result = (intent: string) => resultFor(data, intent);
  return (
    <Section
      id="privacy-export"
      title="Download your data"
      description="A machine-readable JSON copy of everything we hold about you, with your files. One request every 24 hours; links work for 7 days."
    >
      <div className="space-y-3">
        {result("export")?.message ? <Alert tone="success">{result("export")?.message}</Alert> : null}
        {result("export")?.formError ? <Alert tone="error">{result("export")?.formError}</Alert> : null}
        {exports.length > 0 ? (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {exports.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  Requested {formatDateTime(e.requestedAt)}{" "}
                  <Badge tone={e.status === "ready" ? "green" : e.status === "pending" ? "blue" : "slate"}>
                    {e.status === "pending" ? "preparing" : e.status}
                  </Badge>
                </span>
                {e.status === "ready" ? (
                  <a
                    className="font-semibold text-brand-600 hover:underline"
                    href={`/account/privacy/export/${e.id}`}
                  >
                    Download (until {formatDateTime(e.expiresAt!)})
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="export" />
          <Button type="submit" variant="secondary">
            Request my data
          </Button>
        </Form>
      </div>
    </Section>
  );
}
