import { Alert, Badge, Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import { Form, useNavigation } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { formatBytes } from "~/components/shop/format";
import { useFormat } from "~/lib/format";
import { resultFor } from "~/lib/forms";
import type { JobActionResult, JobView } from "./types";

/**
 * The job's files: download, share with the customer (marketplace jobs), remove, and the upload form, which
 * posts to the files resource route (`/org/jobs/:jobId/files`) as a full page load.
 */
export function JobFilesSection({ job, data }: { job: JobView; data: JobActionResult | undefined }) {
  const { dateTime: formatWhen } = useFormat();
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting" && navigation.formAction?.endsWith("/files");
  const fileResult = resultFor(data, "shareFile") ?? resultFor(data, "deleteFile");
  return (
    <Section
      id="files-heading"
      title="Files"
      description="Models (STL, 3MF, OBJ up to 100 MB); mockups, proofs and photos (images or PDF, up to 25 MB)."
    >
      {fileResult?.ok && fileResult.message ? (
        <Alert tone="success">{fileResult.message}</Alert>
      ) : fileResult?.formError ? (
        <Alert tone="error">{fileResult.formError}</Alert>
      ) : null}
      {job.files.length ? (
        <ul className="mb-4 divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {job.files.map((f) => (
            <li key={f.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <Badge tone="blue">{f.kind}</Badge>{" "}
                <a href={`/org/jobs/${job.id}/files/${f.id}`} className={linkClass} download>
                  {f.fileName}
                </a>{" "}
                <span className="text-xs text-slate-500">
                  {formatBytes(f.sizeBytes)} · {formatWhen(f.createdAt)}
                </span>
                {f.sharedWithCustomer ? (
                  <>
                    {" "}
                    <Badge tone="green">Shared with the customer</Badge>
                  </>
                ) : null}
              </span>
              {job.orderId ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="shareFile" />
                  <input type="hidden" name="fileId" value={f.id} />
                  <input type="hidden" name="shared" value={f.sharedWithCustomer ? "false" : "true"} />
                  <Button type="submit" variant="secondary">
                    {f.sharedWithCustomer
                      ? `Stop sharing ${f.fileName}`
                      : `Share ${f.fileName} with the customer`}
                  </Button>
                </Form>
              ) : null}
              <Form method="post">
                <input type="hidden" name="intent" value="deleteFile" />
                <input type="hidden" name="fileId" value={f.id} />
                <Button type="submit" variant="secondary" aria-label={`Remove ${f.fileName}`}>
                  Remove
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">No files yet.</p>
      )}
      <Form
        method="post"
        action={`/org/jobs/${job.id}/files`}
        encType="multipart/form-data"
        className="space-y-4"
        reloadDocument
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label="Kind of file" name="kind" defaultValue="proof">
            <option value="model">Model</option>
            <option value="mockup">Mockup</option>
            <option value="proof">Proof</option>
            <option value="photo">Photo</option>
            <option value="other">Other</option>
          </SelectField>
          <TextField label="File" name="file" type="file" required />
          {job.orderId ? (
            <CheckboxField label="Share with the customer (shown on their order page)" name="shared" />
          ) : null}
        </div>
        <div className="flex justify-end">
          <Button type="submit" variant="secondary" disabled={uploading}>
            {uploading ? "Uploading…" : "Upload file"}
          </Button>
        </div>
      </Form>
    </Section>
  );
}
