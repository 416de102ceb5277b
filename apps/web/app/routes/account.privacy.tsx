import { requireSession } from "@ktizo/runtime/remix";
import { Alert, Badge, Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AiActivityTable } from "~/components/ai/activity-table";
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
          <p className="text-sm text-slate-600 dark:text-slate-300">
            You have not connected a Google account.
          </p>
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

      <Section
        id="privacy-choices"
        title="Your privacy choices"
        description="Change these at any time. Service notifications (job updates, invoices, orders, security and billing) are always sent while your account is active."
      >
        <Form method="post" className="space-y-4">
          <input type="hidden" name="intent" value="settings" />
          {result("settings")?.message ? <Alert tone="success">{result("settings")?.message}</Alert> : null}
          {result("settings")?.formError ? <Alert tone="error">{result("settings")?.formError}</Alert> : null}
          <CheckboxField
            name="analytics"
            label="Usage analytics"
            hint="Pseudonymous product usage counts, only if you also accepted analytics in the cookie notice."
            defaultChecked={!settings.analyticsOff}
          />
          <CheckboxField
            name="ai"
            label="AI features"
            hint="Purchase-order reading, suggestions and AI-assisted scheduling. Off: nothing of yours is sent to the AI provider."
            defaultChecked={!settings.aiOff}
          />
          <CheckboxField
            name="marketing"
            label="Marketing email"
            hint="News and offers from Ktizo. Service notifications are separate and cannot be switched off."
            defaultChecked={!settings.marketingOff}
          />
          <CheckboxField
            name="restrictProcessing"
            label="Restrict processing"
            hint="We keep your data but stop analytics, AI and marketing for you."
            defaultChecked={settings.restrictProcessing}
          />
          <CheckboxField
            name="objectProcessing"
            label="Object to processing"
            hint="You object to processing based on our legitimate interests: analytics, AI and marketing stop."
            defaultChecked={settings.objectProcessing}
          />
          <Button type="submit">Save privacy choices</Button>
        </Form>
      </Section>

      {messaging.length ? (
        <Section
          id="privacy-messaging"
          title="Texts and notifications from shops"
          description="Shops that keep you as a customer: how they notify you, and whether you agreed to receive texts. Withdraw your consent here at any time; replying STOP to a text works too."
        >
          <div className="space-y-4">
            {result("messaging")?.message ? (
              <Alert tone="success">{result("messaging")?.message}</Alert>
            ) : null}
            {result("messaging")?.formError ? (
              <Alert tone="error">{result("messaging")?.formError}</Alert>
            ) : null}
            {messaging.map((m) => (
              <Form
                key={m.customerId}
                method="post"
                className="space-y-3 rounded-lg p-4 ring-1 ring-slate-200 dark:ring-slate-700"
              >
                <input type="hidden" name="intent" value="messaging" />
                <input type="hidden" name="customerId" value={m.customerId} />
                <h3 className="text-sm font-semibold">{m.shopName}</h3>
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {m.smsConsentAt
                    ? `You agreed to texts${m.phoneE164 ? ` at ${m.phoneE164}` : ""} on ${formatDateTime(m.smsConsentAt)} (${m.smsConsentSource === "customer" ? "here, by you" : "recorded by the shop"}).`
                    : "No consent to texts: the shop does not text you."}
                </p>
                <SelectField label="Notify me by" name="notifyChannel" defaultValue={m.notifyChannel}>
                  <option value="email">Email</option>
                  <option value="sms">SMS</option>
                  <option value="both">Email and SMS</option>
                  <option value="none">No marketing (service messages by email)</option>
                </SelectField>
                <CheckboxField
                  label={`I agree to receive texts from ${m.shopName}`}
                  name="smsConsent"
                  defaultChecked={m.smsConsentAt !== null}
                />
                <Button type="submit" variant="secondary">
                  Save choices for {m.shopName}
                </Button>
              </Form>
            ))}
          </div>
        </Section>
      ) : null}

      <Section
        id="privacy-export"
        title="Download your data"
        description="A machine-readable JSON copy of everything we hold about you, with your files. One request every 24 hours; links work for 7 days."
      >
        <div className="space-y-3">
          {result("export")?.message ? <Alert tone="success">{result("export")?.message}</Alert> : null}
          {result("export")?.formError ? <Alert tone="error">{result("export")?.formError}</Alert> : null}
          {exports.length > 0 ? (
            <ul className="divide-y divide-slate-200 dark:divide-slate-800">
              {exports.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <span>
                    Requested {formatDateTime(e.requestedAt)}{" "}
                    <Badge tone={e.status === "ready" ? "green" : e.status === "pending" ? "blue" : "slate"}>
                      {e.status === "pending" ? "preparing" : e.status}
                    </Badge>
                  </span>
                  {e.status === "ready" ? (
                    <a
                      className="font-semibold text-brand-600 hover:underline"
                      href={`/account/privacy/export/${e.id}`}
                    >
                      Download (until {formatDateTime(e.expiresAt!)})
                    </a>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="export" />
            <Button type="submit" variant="secondary">
              Request my data
            </Button>
          </Form>
        </div>
      </Section>

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
