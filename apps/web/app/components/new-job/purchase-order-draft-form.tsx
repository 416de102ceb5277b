import { Button, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import type { PurchaseOrderDraftView } from "./types";

/** Pasting a purchase order's text to prefill the new-job form; nothing is saved until the job is created. */
export function PurchaseOrderDraftForm({
  draft,
  draftResult,
  busy,
  drafting,
}: {
  draft: PurchaseOrderDraftView | null;
  draftResult: { draft: unknown; formError: string | null; fieldErrors: Record<string, string> } | undefined;
  busy: boolean;
  drafting: boolean;
}) {
  return (
    <Form method="post" noValidate className="mb-6">
      <input type="hidden" name="intent" value="draft" />
      <Section
        id="po-heading"
        title="Draft from a purchase order"
        description="Paste the text of a purchase order (an email, a PDF's text) to prefill the form below. Nothing is saved until you create the job."
      >
        <ErrorSummary result={draftResult?.draft ? undefined : draftResult} />
        <TextAreaField
          label="Purchase order text"
          name="poText"
          rows={4}
          error={draftResult?.fieldErrors?.text}
        />
        <Button type="submit" variant="secondary" className="mt-3" disabled={busy}>
          {drafting ? "Reading…" : "Draft from purchase order"}
        </Button>
        {draft ? (
          <p role="status" className="mt-3 text-sm text-slate-600 dark:text-slate-300">
            {`Form prefilled from the purchase order (${draft.items.length} item${draft.items.length === 1 ? "" : "s"})`}
            {draft.source === "rules"
              ? ". Read by the local reader, which finds less than the AI model: check every field."
              : ". Check every field before creating the job."}
          </p>
        ) : null}
      </Section>
    </Form>
  );
}
