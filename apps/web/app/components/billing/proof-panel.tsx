import { Badge, CheckboxField, SelectField, Table, Td, TextField, Th } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";
import type { JobBillingData } from "./types";

const PROOF_TONE = { pending: "amber", approved: "green", rejected: "red" } as const;
const PROOF_LABEL = { pending: "Waiting for the customer", approved: "Approved", rejected: "Changes asked" };

/**
 * Proof versions of the job: add one from a job file (image, PDF or model) and email it, see each
 * decision; printing waits for the current version's approval unless an owner or admin overrides.
 */
export function ProofPanel({
  billing,
  job,
  data,
}: {
  billing: JobBillingData;
  job: { id: string; files: { id: string; fileName: string; kind: string }[]; customerEmail: string | null };
  data: FormResult | undefined;
}) {
  const { dateTime } = useFormat();
  type Proof = JobBillingData["proofs"][number];
  const latest = billing.proofs.reduce<Proof | undefined>(
    (a, p) => (!a || p.version > a.version ? p : a),
    undefined,
  );
  const candidates = [...job.files].sort((a, b) => Number(b.kind === "proof") - Number(a.kind === "proof"));
  return (
    <div className="space-y-4">
      {billing.proofs.length ? (
        <Table caption="Proof versions">
          <thead>
            <tr>
              <Th>Version</Th>
              <Th>File</Th>
              <Th>Status</Th>
              <Th>Decision</Th>
            </tr>
          </thead>
          <tbody>
            {billing.proofs.map((p) => (
              <tr key={p.id}>
                <Td>{p.version}</Td>
                <Td>{p.fileName}</Td>
                <Td>
                  <Badge tone={PROOF_TONE[p.status]}>{PROOF_LABEL[p.status]}</Badge>
                </Td>
                <Td>
                  {p.decidedName ? `${p.decidedName}, ${dateTime(p.decidedAt)}` : "—"}
                  {p.comment ? <span className="block text-xs">“{p.comment}”</span> : null}
                  {p.overrideReason ? (
                    <span className="block text-xs">
                      Printing allowed without approval: {p.overrideReason} ({dateTime(p.overrideAt)})
                    </span>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No proofs yet. Upload the proof under Files (kind: Proof), then add it as a version here.
        </p>
      )}
      {candidates.length ? (
        <FormBody intent="proofAdd" data={data} submit="Add proof version">
          <SelectField
            label="Proof file"
            name="fileId"
            error={resultFor(data, "proofAdd")?.fieldErrors.fileId}
          >
            {candidates.map((f) => (
              <option key={f.id} value={f.id}>
                {f.fileName} ({f.kind})
              </option>
            ))}
          </SelectField>
          <CheckboxField label="Email it to the customer for approval" name="send" defaultChecked />
          <TextField
            label="Send the proof to"
            name="to"
            type="email"
            defaultValue={job.customerEmail ?? ""}
            error={resultFor(data, "proofAdd")?.fieldErrors.to}
          />
        </FormBody>
      ) : null}
      {latest?.status === "pending" ? (
        <FormBody
          intent={`proofSend:${latest.id}`}
          data={data}
          submit="Email the proof link again"
          variant="secondary"
        >
          <input type="hidden" name="to" value={job.customerEmail ?? ""} />
        </FormBody>
      ) : null}
      {latest && latest.status !== "approved" && !latest.overrideReason ? (
        <details className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-700">
          <summary className="cursor-pointer text-sm font-medium">
            Print without approval (owners and admins)
          </summary>
          <div className="mt-3">
            <FormBody intent="proofOverride" data={data} submit="Allow printing" variant="secondary">
              <TextAreaField
                label="Why printing may start without the customer's approval"
                name="reason"
                rows={2}
                error={resultFor(data, "proofOverride")?.fieldErrors.reason}
              />
            </FormBody>
          </div>
        </details>
      ) : null}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Files are under{" "}
        <a href="#files-heading" className={linkClass}>
          Files
        </a>
        .
      </p>
    </div>
  );
}
