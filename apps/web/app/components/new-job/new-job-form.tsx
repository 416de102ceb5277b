import { Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { PriorityOptions, TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { NewJobCustomerSection } from "./new-job-customer-section";
import { NewJobItemsSection } from "./new-job-items-section";
import { initialValue, type PurchaseOrderDraftView } from "./types";

const SOURCES = [
  ["manual", "Manual"],
  ["walk_in", "Walk-in"],
  ["phone", "Phone"],
  ["email", "Email"],
] as const;

/** The new job: title, source, status, priority, due date, customer, line items and a production note. */
export function NewJobForm({
  draft,
  sent,
  result,
  busy,
  customers,
  materials,
  currency,
  preselected,
}: {
  draft: PurchaseOrderDraftView | null;
  /** The fields of a submission the server refused: shown again as typed. */
  sent?: Record<string, string>;
  result: { formError: string | null; fieldErrors: Record<string, string> } | undefined;
  busy: boolean;
  customers: { id: string; name: string; email: string | null }[];
  materials: { id: string; name: string; kind: string }[];
  currency: string;
  preselected: string;
}) {
  const initial = initialValue(sent);
  const e = result?.fieldErrors ?? {};
  return (
    <Form method="post" noValidate className="space-y-6">
      <ErrorSummary result={result} />
      <Section id="job-heading" title="Job">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Title"
            name="title"
            required
            error={e.title}
            className="sm:col-span-2"
            defaultValue={initial("title", draft?.title)}
          />
          <SelectField
            label="Source"
            name="source"
            defaultValue={initial("source", draft ? "email" : "manual")}
            error={e.source}
          >
            {SOURCES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Start as"
            name="status"
            defaultValue={initial("status", "quote")}
            error={e.status}
          >
            <option value="quote">Quote (waiting for the customer)</option>
            <option value="approved">Approved (ready to schedule)</option>
          </SelectField>
          <SelectField
            label="Priority"
            name="priority"
            defaultValue={initial("priority", "normal")}
            error={e.priority}
          >
            <PriorityOptions />
          </SelectField>
          <TextField
            label="Due date"
            name="dueAt"
            type="date"
            error={e.dueAt}
            defaultValue={initial("dueAt", draft?.dueDate)}
          />
          <CheckboxField
            label="Rush order"
            name="rush"
            defaultChecked={sent ? sent.rush === "on" : (draft?.rush ?? false)}
          />
        </div>
      </Section>
      <NewJobCustomerSection
        draft={draft}
        sent={sent}
        errors={e}
        customers={customers}
        preselected={preselected}
      />
      <NewJobItemsSection draft={draft} sent={sent} errors={e} materials={materials} currency={currency} />
      <Section id="note-heading" title="Production note">
        <TextAreaField
          label="Note for the team (optional)"
          name="note"
          rows={3}
          error={e.note}
          defaultValue={initial("note", draft?.notes)}
        />
      </Section>
      <div className="flex justify-end">
        <Button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create job"}
        </Button>
      </div>
    </Form>
  );
}
