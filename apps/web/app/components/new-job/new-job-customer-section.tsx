import { Section, SelectField, TextField } from "@ktizo/ui";
import { useState } from "react";
import { initialValue, type PurchaseOrderDraftView, type SentFields } from "./types";

/** The job's customer: an existing one (preselected, or the one the draft recognised) or a new one. */
export function NewJobCustomerSection({
  draft,
  sent,
  errors: e,
  customers,
  preselected,
}: {
  draft: PurchaseOrderDraftView | null;
  sent: SentFields;
  errors: Record<string, string>;
  customers: { id: string; name: string; email: string | null }[];
  preselected: string;
}) {
  const initial = initialValue(sent);
  const draftCustomer = draft?.customer.existingCustomerId ?? "";
  const [mode, setMode] = useState<"existing" | "new">(
    sent
      ? sent.customerMode === "new"
        ? "new"
        : "existing"
      : draft
        ? draftCustomer
          ? "existing"
          : "new"
        : preselected || customers.length > 0
          ? "existing"
          : "new",
  );
  return (
    <Section id="customer-heading" title="Customer">
      <fieldset>
        <legend className="sr-only">Existing or new customer</legend>
        <div className="flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="customerMode"
              value="existing"
              checked={mode === "existing"}
              onChange={() => setMode("existing")}
              disabled={customers.length === 0}
            />
            Existing customer
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="customerMode"
              value="new"
              checked={mode === "new"}
              onChange={() => setMode("new")}
            />
            New customer
          </label>
        </div>
      </fieldset>
      {mode === "existing" ? (
        <SelectField
          className="mt-4"
          label="Customer"
          name="customerId"
          defaultValue={initial("customerId", draftCustomer || preselected)}
          error={e.customerId}
        >
          <option value="">Choose a customer…</option>
          {customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
              {c.email ? ` (${c.email})` : ""}
            </option>
          ))}
        </SelectField>
      ) : (
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <TextField
            label="Customer name"
            name="newCustomer.name"
            error={e["newCustomer.name"]}
            defaultValue={initial("newCustomer.name", draft?.customer.name ?? draft?.customer.company)}
          />
          <TextField
            label="Company"
            name="newCustomer.company"
            error={e["newCustomer.company"]}
            defaultValue={initial("newCustomer.company", draft?.customer.company)}
          />
          <TextField
            label="Customer email"
            name="newCustomer.email"
            type="email"
            error={e["newCustomer.email"]}
            defaultValue={initial("newCustomer.email", draft?.customer.email)}
          />
          <TextField
            label="Customer phone"
            name="newCustomer.phone"
            error={e["newCustomer.phone"]}
            defaultValue={initial("newCustomer.phone", draft?.customer.phone)}
          />
        </div>
      )}
    </Section>
  );
}
