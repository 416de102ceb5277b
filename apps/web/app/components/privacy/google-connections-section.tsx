import { Alert, Badge, Button, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";

/** The Google accounts the user connected in shop workspaces, each with what it holds and a disconnect button. */
export function GoogleConnectionsSection({
  google,
  data,
}: {
  google: Served<RouterOutputs["privacy"]["google"]["accounts"]>;
  data: FormResult | undefined;
}) {
  const { dateTime: formatDateTime } = useFormat();
  const result = (intent: string) => resultFor(data, intent);
  return (
    <Section
      id="privacy-google"
      title="Connected Google accounts"
      description="Gmail and Drive access you gave a shop's workspace. Disconnecting revokes it at Google and deletes the token and the cached mail."
    >
      {result("google-disconnect")?.message ? (
        <Alert tone="success">{result("google-disconnect")?.message}</Alert>
      ) : null}
      {result("google-disconnect")?.formError ? (
        <Alert tone="error">{result("google-disconnect")?.formError}</Alert>
      ) : null}
      {google.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">You have not connected a Google account.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {google.map((g) => (
            <li key={g.organizationId} className="space-y-2 py-3">
              <p className="font-medium text-slate-900 dark:text-white">
                {g.email}{" "}
                <span className="font-normal text-slate-600 dark:text-slate-300">
                  in {g.organizationName}
                </span>
              </p>
              <p className="text-sm text-slate-600 dark:text-slate-300">
                Connected {formatDateTime(g.connectedAt)} · {g.linkedThreads} linked thread
                {g.linkedThreads === 1 ? "" : "s"} · {g.cachedMessages} cached message
                {g.cachedMessages === 1 ? "" : "s"} · {g.driveFolders} Drive folder
                {g.driveFolders === 1 ? "" : "s"}
              </p>
              <ul className="flex flex-wrap gap-2">
                {g.scopes.map((scope) => (
                  <li key={scope}>
                    <Badge tone="slate">{scope.replace("https://www.googleapis.com/auth/", "")}</Badge>
                  </li>
                ))}
              </ul>
              <Form method="post">
                <input type="hidden" name="intent" value="google-disconnect" />
                <input type="hidden" name="organizationId" value={g.organizationId} />
                <Button type="submit" variant="secondary">
                  Disconnect {g.email}
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
