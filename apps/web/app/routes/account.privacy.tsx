import { requireSession } from "@ktizo/runtime/remix";
import { Alert, Button, Section, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AiActivityTable } from "~/components/ai/activity-table";
import { DataExportSection } from "~/components/privacy/data-export-section";
import { GoogleConnectionsSection } from "~/components/privacy/google-connections-section";
import { PrivacyChoicesSection } from "~/components/privacy/privacy-choices-section";
import { ShopMessagingSection } from "~/components/privacy/shop-messaging-section";
import { useFormat } from "~/lib/format";
import { attempt, formText, resultFor } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Privacy · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const aiPage = Math.max(1, Math.min(10_000, Number(new URL(request.url).searchParams.get("aiPage")) || 1));
  const [settings, exports, deletion, google, aiActivity, messaging] = await Promise.all([
    api.privacy.settings.get(),
    api.privacy.exports.list(),
    api.privacy.deletion.status(),
    api.privacy.google.accounts(),
    api.ai.activity.mine({ page: aiPage, pageSize: 10 }),
    api.privacy.messaging.list(),
  ]);
  return json({ settings, exports, deletion, google, aiActivity, messaging });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  const on = (name: string) => form.get(name) === "on";
  switch (intent) {
    case "settings":
      return attempt(
        intent,
        () =>
          api.privacy.settings.update({
            analyticsOff: !on("analytics"),
            aiOff: !on("ai"),
            marketingOff: !on("marketing"),
            restrictProcessing: on("restrictProcessing"),
            objectProcessing: on("objectProcessing"),
          }),
        "Your privacy settings are saved.",
      );
    case "export":
      return attempt(
        intent,
        () => api.privacy.exports.request(),
        "We are preparing your data. Refresh this page in a minute for the download link.",
      );
    case "delete":
      return attempt(
        intent,
        () => api.privacy.deletion.request({ confirmation: formText(form, "confirmation") }),
        "Your account is scheduled for deletion. You have been signed out everywhere else.",
      );
    case "google-disconnect":
      return attempt(
        intent,
        () => api.privacy.google.disconnect({ organizationId: formText(form, "organizationId") }),
        "Google disconnected: the grant is revoked at Google; the token and cached mail are deleted.",
      );
    case "messaging":
      return attempt(
        intent,
        () =>
          api.privacy.messaging.update({
            customerId: formText(form, "customerId"),
            notifyChannel: formText(form, "notifyChannel") as "email",
            smsConsent: on("smsConsent"),
          }),
        "Your messaging choices are saved.",
      );
    case "undo-delete":
      return attempt(intent, () => api.privacy.deletion.cancel(), "Deletion cancelled: your account stays.");
  }
  return attempt(intent, async () => {
    throw new Error("Unknown form.");
  });
}

export default function Privacy() {
  const { dateTime: formatDateTime } = useFormat();
  const { settings, exports, deletion, google, aiActivity, messaging } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const result = (intent: string) => resultFor(data, intent);
  return (
    <div className="space-y-8">
      {deletion.scheduled ? (
        <Alert tone="error">
          <p className="font-semibold">
            Your account is scheduled for deletion on {formatDateTime(deletion.dueAt!)}.
          </p>
          <p>Until then you can download your data or undo the deletion.</p>
          <Form method="post" className="mt-2">
            <input type="hidden" name="intent" value="undo-delete" />
            <Button type="submit" variant="secondary">
              Undo deletion
            </Button>
          </Form>
        </Alert>
      ) : null}
      {result("undo-delete")?.message ? <Alert tone="success">{result("undo-delete")?.message}</Alert> : null}

      <GoogleConnectionsSection google={google} data={data} />

      <PrivacyChoicesSection settings={settings} data={data} />

      <ShopMessagingSection messaging={messaging} data={data} />

      <DataExportSection exports={exports} data={data} />

      <Section
        id="privacy-ai-activity"
        title="AI requests made for you"
        description="Each request an AI feature made while you worked in a shop: when, which feature, which kinds of data were sent (never the content), the model and its token counts. They are part of your data export."
      >
        <AiActivityTable page={aiActivity} who="shop" href={(p) => `?aiPage=${p}#privacy-ai-activity`} />
      </Section>

      <Section id="privacy-correct" title="Correct your data" description="Your name, email and country.">
        <a href="/account" className="font-semibold text-brand-600 hover:underline">
          Edit your profile
        </a>
      </Section>

      {deletion.scheduled ? null : (
        <Section
          id="privacy-delete"
          tone="danger"
          title="Delete your account"
          description="Your account is kept for 30 days so you can download your data or change your mind, then permanently deleted. Orders and invoices the law requires us to keep stay, without your personal details. You are signed out everywhere at once."
        >
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="delete" />
            {result("delete")?.formError ? <Alert tone="error">{result("delete")?.formError}</Alert> : null}
            <TextField
              name="confirmation"
              label='Type "delete my account" to confirm'
              autoComplete="off"
              error={result("delete")?.fieldErrors?.confirmation}
            />
            <Button type="submit" variant="danger">
              Delete my account
            </Button>
          </Form>
        </Section>
      )}
    </div>
  );
}
