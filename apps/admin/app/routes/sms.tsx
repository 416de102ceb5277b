import { Alert, actionErrors, Button, Card, PageHeader, SelectField, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Simulate a text · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  return json({ senders: await api.admin.sms.senders() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const form = await request.formData();
  try {
    const result = await api.admin.sms.simulateInbound({
      organizationId: String(form.get("organizationId") ?? ""),
      from: String(form.get("from") ?? ""),
      body: String(form.get("body") ?? ""),
    });
    return json({
      ok: true,
      message: `${result.outcome}: ${result.detail}`,
      formError: null,
      fieldErrors: {},
    });
  } catch (error) {
    return json(
      { ok: false, message: null, ...actionErrors(error, "The text was refused.") },
      { status: 400 },
    );
  }
}

/**
 * While texts go to the outbox (no Twilio account), a customer's reply is simulated here: it takes the
 * same path as a signed Twilio webhook (matched to the shop by its number, to the customer by theirs;
 * STOP, HELP and YES included).
 */
export default function SimulateText() {
  const { senders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const e: Record<string, string | undefined> = result?.fieldErrors ?? {};
  return (
    <>
      <PageHeader
        title="Simulate a customer's text"
        description="Without Twilio settings texts go to the outbox; a reply typed here reaches the shop exactly as a real one would."
      />
      <Card>
        {senders.length === 0 ? (
          <p className="text-sm">
            No shop has an SMS number yet (Workspace → Settings → Messages and texts).
          </p>
        ) : (
          <Form method="post" noValidate className="space-y-4">
            {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
            {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label="From (the customer's number)" name="from" autoComplete="off" error={e.from} />
              <SelectField label="To shop" name="organizationId" error={e.organizationId}>
                {senders.map((s) => (
                  <option key={s.organizationId} value={s.organizationId}>
                    {s.name} ({s.phoneE164})
                  </option>
                ))}
              </SelectField>
            </div>
            <TextField label="Text" name="body" autoComplete="off" error={e.body} />
            <div className="flex justify-end">
              <Button type="submit" disabled={busy}>
                {busy ? "Sending…" : "Receive this text"}
              </Button>
            </div>
          </Form>
        )}
      </Card>
    </>
  );
}
