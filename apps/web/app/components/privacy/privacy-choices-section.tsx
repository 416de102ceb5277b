import { Alert, Button, CheckboxField, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { type FormResult, resultFor } from "~/lib/forms";

/** The user's privacy switches: analytics, AI, marketing, restricting and objecting to processing. */
export function PrivacyChoicesSection({
  settings,
  data,
}: {
  settings: Served<RouterOutputs["privacy"]["settings"]["get"]>;
  data: FormResult | undefined;
}) {
  const result = (intent: string) => resultFor(data, intent);
  return (
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
  );
}
