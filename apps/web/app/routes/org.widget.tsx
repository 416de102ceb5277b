import { Alert, Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { OrgShell } from "~/components/org-shell";
import { attempt, formText, resultFor } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Quote widget · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const [widget, materials] = await Promise.all([org.api.shop.widget.get(), org.api.shop.materials.list({})]);
  const ktizoOrigin = new URL(context.runtime.settings.auth.BETTER_AUTH_URL).origin;
  return json({
    ...shellData(org),
    widget,
    materials: materials.map((m) => ({ id: m.id, name: m.name })),
    snippet: `<script src="${ktizoOrigin}/widget.js" data-shop="${org.organization.slug}" async></script>`,
    previewUrl: `${ktizoOrigin}/embed/quote/${org.organization.slug}`,
  });
}

/** One allowed site per line (or separated by commas or spaces). */
function readOrigins(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/\/+$/, ""))
    .filter(Boolean);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  return attempt(
    "widget",
    () =>
      api.shop.widget.update({
        enabled: form.get("enabled") === "on",
        allowedOrigins: readOrigins(formText(form, "allowedOrigins")),
        accentColor: formText(form, "accentColor"),
        showPrices: form.get("showPrices") === "on",
        defaultMaterialId: formText(form, "defaultMaterialId") || null,
        greeting: formText(form, "greeting"),
      }),
    "Widget settings saved",
    "Only owners and admins can change the widget.",
  );
}

/** The quote widget for the shop's own website: on/off, which sites may show it, its look, the snippet. */
export default function WidgetSettings() {
  const data = useLoaderData<typeof loader>();
  const result = resultFor(useActionData<typeof action>(), "widget");
  const busy = useNavigation().state === "submitting";
  const readOnly = data.organization.role === "member";
  const [copied, setCopied] = useState(false);
  const { widget } = data;
  const originsError = Object.entries(result?.fieldErrors ?? {}).find(([k]) =>
    k.startsWith("allowedOrigins"),
  )?.[1];
  return (
    <OrgShell organization={data.organization} memberships={data.memberships}>
      <h1 className="mb-4 text-2xl font-bold">Quote widget</h1>
      <div className="space-y-6">
        <Section
          id="snippet-heading"
          title="Add it to your website"
          description="Paste this line where the quote form should appear. It loads without slowing your page down."
        >
          <label htmlFor="widget-snippet" className="block text-sm font-medium">
            Snippet
          </label>
          <textarea
            id="widget-snippet"
            readOnly
            rows={2}
            value={data.snippet}
            className="mt-1 block w-full rounded-md bg-slate-50 p-2 font-mono text-sm ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700"
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="mt-2 flex items-center gap-3">
            <Button
              type="button"
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(data.snippet);
                setCopied(true);
              }}
            >
              Copy snippet
            </Button>
            <span aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
              {copied ? "Copied" : ""}
            </span>
          </div>
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
            To place it inside an existing element, add <code>data-target="#your-element-id"</code>. Your page
            can listen for the <code>quote-ready</code> and <code>order-placed</code> events.
          </p>
        </Section>

        <Section
          id="settings-heading"
          title="Settings"
          description={readOnly ? "Only owners and admins can change the widget." : undefined}
        >
          {result?.ok && result.message ? <Alert tone="success">{result.message}</Alert> : null}
          {result && !result.ok && result.formError ? <Alert tone="error">{result.formError}</Alert> : null}
          <Form method="post" className="mt-2 space-y-4">
            <fieldset disabled={readOnly || busy} className="space-y-4">
              <CheckboxField
                name="enabled"
                label="Show the quote form on my website"
                defaultChecked={widget.enabled}
              />
              <div>
                <label htmlFor="allowed-origins" className="block text-sm font-medium">
                  Websites allowed to show it
                </label>
                <textarea
                  id="allowed-origins"
                  name="allowedOrigins"
                  rows={3}
                  defaultValue={widget.allowedOrigins.join("\n")}
                  aria-describedby="allowed-origins-hint"
                  aria-invalid={originsError ? true : undefined}
                  className="mt-1 block w-full rounded-md p-2 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
                />
                <p id="allowed-origins-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                  One per line, like https://www.myshop.com (no path). Any other site is refused.
                </p>
                {originsError ? (
                  <p role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
                    {originsError}
                  </p>
                ) : null}
              </div>
              <TextField
                name="accentColor"
                label="Accent color"
                defaultValue={widget.accentColor}
                error={result?.fieldErrors.accentColor}
                hint="A hex color like #1f6feb, used for buttons and highlights."
              />
              <TextField
                name="greeting"
                label="Greeting"
                defaultValue={widget.greeting}
                maxLength={200}
                error={result?.fieldErrors.greeting}
              />
              <SelectField
                name="defaultMaterialId"
                label="Suggested material"
                defaultValue={widget.defaultMaterialId ?? ""}
                error={result?.fieldErrors.defaultMaterialId}
              >
                <option value="">The cheapest that fits</option>
                {data.materials.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </SelectField>
              <CheckboxField
                name="showPrices"
                label="Show a price beside each material"
                defaultChecked={widget.showPrices}
              />
              <Button type="submit">Save widget settings</Button>
            </fieldset>
          </Form>
        </Section>
      </div>
    </OrgShell>
  );
}
