import { Section } from "@ktizo/ui";
import type { FormResult } from "~/lib/forms";
import { EstimatePanel } from "./estimate-panel";
import { InvoicePanel } from "./invoice-panel";
import { ProofPanel } from "./proof-panel";
import type { JobBillingData } from "./types";

/** The job page's Billing: estimate, proofs, invoices and payments of this job. */
export function JobBilling({
  billing,
  job,
  data,
}: {
  billing: JobBillingData;
  job: {
    id: string;
    currency: string;
    customerEmail: string | null;
    items: { id: string; description: string; quantity: number; unitPriceMinor: number }[];
    files: { id: string; fileName: string; kind: string }[];
  };
  data: FormResult | undefined;
}) {
  return (
    <>
      <Section
        id="estimate-heading"
        title="Estimate"
        description="Priced lines, tax, discount, shipping and deposit; the customer approves it online by typing their name."
      >
        <EstimatePanel billing={billing} job={job} data={data} />
      </Section>
      {/* min-w-0: a grid cell may be narrower than its widest table (which scrolls inside it). */}
      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <Section
          id="proofs-heading"
          title="Proofs"
          description="Printing waits until the customer approves the current proof version."
        >
          <ProofPanel billing={billing} job={job} data={data} />
        </Section>
        <Section
          id="invoices-heading"
          title="Invoices and payments"
          description="Numbered when issued; corrected by credit note or void."
        >
          <InvoicePanel billing={billing} data={data} />
        </Section>
      </div>
    </>
  );
}
