import { requireSession } from "@ktizo/runtime/remix";
import { Alert, Badge, Button, Section } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useFormat } from "~/lib/format";
import { attempt, done, formText, refused } from "~/lib/forms";
import { describeDevice } from "~/lib/user-agent";

export const meta: MetaFunction = () => [{ title: "Sessions · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  return json({ sessions: await api.account.sessions.list() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  if (intent === "revoke-others")
    return attempt(intent, () => api.account.sessions.revokeOthers(), "Your other sessions are signed out.");
  if (intent === "revoke") {
    try {
      const result = await api.account.sessions.revoke({ sessionId: formText(form, "sessionId") });
      // Revoking this browser's own session is signing out.
      if (result.current) return redirect("/sign-in");
    } catch {
      return refused(intent, { formError: "That session is already signed out.", fieldErrors: {} }, 404);
    }
    return done(intent, "The session is signed out.");
  }
  return refused(intent, { formError: "Unknown form.", fieldErrors: {} });
}

export default function Sessions() {
  const { dateTime: formatDateTime } = useFormat();
  const { sessions } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <Section
      id="sessions-heading"
      title="Where you are signed in"
      description="If you do not recognise a device, sign it out and change your password."
    >
      <div className="space-y-4">
        {data?.message ? <Alert tone="success">{data.message}</Alert> : null}
        {data?.formError ? <Alert tone="error">{data.formError}</Alert> : null}
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div>
                <p className="flex items-center gap-2 font-medium">
                  {describeDevice(s.userAgent)}
                  {s.current ? <Badge tone="green">This device</Badge> : null}
                </p>
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {s.ipAddress ?? "Unknown IP"} · last active {formatDateTime(s.updatedAt)} · signed in{" "}
                  {formatDateTime(s.createdAt)}
                </p>
              </div>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="sessionId" value={s.id} />
                <Button
                  type="submit"
                  variant="secondary"
                  aria-label={`Sign out ${describeDevice(s.userAgent)}${s.current ? " (this device)" : ""}`}
                >
                  Sign out
                </Button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="flex justify-end border-t border-slate-200 pt-4 dark:border-slate-800">
          <input type="hidden" name="intent" value="revoke-others" />
          <Button type="submit" variant="danger" disabled={others === 0}>
            Sign out all other sessions
          </Button>
        </Form>
      </div>
    </Section>
  );
}
