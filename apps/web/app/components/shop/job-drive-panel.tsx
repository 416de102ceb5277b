import { Alert, Badge, Button, Section } from "@ktizo/ui";
import { Link, useFetcher } from "@remix-run/react";
import { useEffect } from "react";
import { linkClass } from "~/components/shop/controls";
import { formatBytes } from "~/components/shop/format";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";

/** What /org/jobs/<id>/drive answers: the folder view (inbox.driveFolder), whether Google is connected. */
interface DriveAnswer {
  view: Served<RouterOutputs["inbox"]["driveFolder"]>;
  connected: boolean;
  formError: string | null;
}

/**
 * The job's Google Drive folder (issue 13): created on demand in the member's Drive as "JOB-123 ·
 * Customer", the job's files uploaded to it, and files added in Drive listed back. Loaded and changed
 * through /org/jobs/<id>/drive.
 */
export function JobDrivePanel({ jobId }: { jobId: string }) {
  const fetcher = useFetcher<DriveAnswer>();
  const { dateTime } = useFormat();
  const url = `/org/jobs/${encodeURIComponent(jobId)}/drive`;
  useEffect(() => {
    if (fetcher.state === "idle" && !fetcher.data) fetcher.load(url);
  }, [url]);
  const data = fetcher.data;
  const busy = fetcher.state !== "idle";
  const folder = data?.view.folder ?? null;
  return (
    <Section
      id="drive-heading"
      title="Drive folder"
      description="The job's files in a Google Drive folder; files added there are listed here."
    >
      {data?.formError ? <Alert tone="error">{data.formError}</Alert> : null}
      {!data ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{busy ? "Loading…" : ""}</p>
      ) : folder ? (
        <div className="space-y-3">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-medium text-slate-900 dark:text-white">{folder.name}</span>
            {folder.webLink ? (
              <a href={folder.webLink} className={linkClass} target="_blank" rel="noreferrer">
                Open in Drive
              </a>
            ) : null}
            {folder.syncing ? null : (
              <Badge tone="amber">Not syncing (its Google account disconnected)</Badge>
            )}
          </p>
          {folder.lastSyncedAt ? (
            <p className="text-xs text-slate-500 dark:text-slate-400">
              Synced {dateTime(folder.lastSyncedAt)}
            </p>
          ) : null}
          {data.view.files.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">The folder is empty.</p>
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800">
              {data.view.files.map((f) => (
                <li key={f.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <span className="min-w-0 break-all">
                    {f.webLink ? (
                      <a href={f.webLink} className={linkClass} target="_blank" rel="noreferrer">
                        {f.name}
                      </a>
                    ) : (
                      f.name
                    )}
                  </span>
                  <span className="flex items-center gap-2 text-slate-500 dark:text-slate-400">
                    {f.sizeBytes !== null ? formatBytes(f.sizeBytes) : null}
                    <Badge tone={f.origin === "drive" ? "blue" : "slate"}>
                      {f.origin === "drive" ? "Added in Drive" : "From this job"}
                    </Badge>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {folder.syncing ? (
            <fetcher.Form method="post" action={url}>
              <input type="hidden" name="intent" value="drive-sync" />
              <Button type="submit" variant="secondary" disabled={busy}>
                {busy ? "Syncing…" : "Sync with Drive"}
              </Button>
            </fetcher.Form>
          ) : null}
        </div>
      ) : data.connected ? (
        <fetcher.Form method="post" action={url}>
          <input type="hidden" name="intent" value="drive-create" />
          <Button type="submit" disabled={busy}>
            {busy ? "Creating…" : "Create Drive folder"}
          </Button>
        </fetcher.Form>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          <Link to="/org/google/connect" className={linkClass}>
            Connect your Google account
          </Link>{" "}
          to keep this job's files in a Drive folder.
        </p>
      )}
    </Section>
  );
}
