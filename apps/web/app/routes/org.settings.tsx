import { Alert, actionErrors, Button, countryOptions, currencyOptions, Section, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BusinessFields, readBusinessFields } from "~/components/business-fields";
import { OrgShell } from "~/components/org-shell";
import { formText } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Settings · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  return json({
    ...shellData(org),
    details: { name: org.organization.name, ...org.organization.profile },
    countries: countryOptions(),
    currencies: currencyOptions(),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const values = { name: formText(form, "name"), ...readBusinessFields(form) };
  try {
    await api.account.organization.updateDetails(values);
  } catch (error) {
    return json(
      { ok: false, ...actionErrors(error, "Only owners and admins can change these details."), values },
      { status: 400 },
    );
  }
  return json({ ok: true, formError: null, fieldErrors: {} as Record<string, string>, values });
}

export default function OrganizationSettings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const readOnly = data.organization.role === "member";
  const values = result?.values ?? data.details;
  return (
    <OrgShell organization={data.organization} memberships={data.memberships}>
      <h1 className="sr-only">Settings</h1>
      <Section
        id="details-heading"
        title="Business details"
        description={
          readOnly
            ? "Only owners and admins can change these details."
            : "Shown on your quotes and invoices, and to customers who order from you."
        }
      >
        <Form method="post" className="space-y-4" noValidate>
          {result?.ok ? <Alert tone="success">The details are saved.</Alert> : null}
          {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
          <fieldset disabled={readOnly} className="space-y-4">
            <TextField
              label="Shop name"
              name="name"
              defaultValue={values.name}
              error={result?.fieldErrors.name}
            />
            <BusinessFields
              values={values}
              errors={result?.fieldErrors}
              countries={data.countries}
              currencies={data.currencies}
            />
            {readOnly ? null : (
              <div className="flex justify-end">
                <Button type="submit" disabled={busy}>
                  {busy ? "Saving…" : "Save details"}
                </Button>
              </div>
            )}
          </fieldset>
        </Form>
      </Section>
    </OrgShell>
  );
}
