import { Alert, Button, CheckboxField, Section, SelectField } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";

/** Per shop that keeps the user as a customer: how it notifies them and their consent to texts. */
export function ShopMessagingSection({
  messaging,
  data,
}: {
  messaging: Served<RouterOutputs["privacy"]["messaging"]["list"]>;
  data: FormResult | undefined;
}) {
  const { dateTime: formatDateTime } = useFormat();
  const result = (intent: string) => resultFor(data, intent);
  if (!messaging.length) return null;
  return (
    <Section
      id="privacy-messaging"
      title="Texts and notifications from shops"
      description="Shops that keep you as a customer: how they notify you, and whether you agreed to receive texts. Withdraw your consent here at any time; replying STOP to a text works too."
    >
      <div className="space-y-4">
        {result("messaging")?.message ? <Alert tone="success">{result("messaging")?.message}</Alert> : null}
        {result("messaging")?.formError ? <Alert tone="error">{result("messaging")?.formError}</Alert> : null}
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
  );
}
