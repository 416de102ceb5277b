import { Button, buttonClass, Section } from "@ktizo/ui";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * A section with the form that adds a new record of the shop (a printer, a material; `noun`) or edits
 * `record`: the intent (and the record's id when editing), its fields, then a link back to the list
 * (Cancel or Done) and the submit button, which says "Saving…" while the form is on its way.
 */
export function RecordFormSection({
  noun,
  record,
  listPath,
  busy,
  children,
}: {
  noun: string;
  record?: { id: string; name: string } | undefined;
  listPath: string;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <Section
      id={`${record ? "edit" : "new"}-${noun}`}
      title={record ? `Edit ${record.name}` : `Add a ${noun}`}
    >
      <Form method="post" noValidate className="space-y-4" key={record?.id}>
        <input type="hidden" name="intent" value={record ? "update" : "create"} />
        {record ? <input type="hidden" name="id" value={record.id} /> : null}
        {children}
        <div className="flex justify-end gap-3">
          <Link to={listPath} className={buttonClass("secondary")}>
            {record ? "Done" : "Cancel"}
          </Link>
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : `${record ? "Save" : "Add"} ${noun}`}
          </Button>
        </div>
      </Form>
    </Section>
  );
}
