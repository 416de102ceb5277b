import {
  Alert,
  actionErrors,
  Button,
  countryOptions,
  currencyOptions,
  formatDateTime,
  Section,
  TextField,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BusinessFields, readBusinessFields } from "~/components/business-fields";
import { OrgShell } from "~/components/org-shell";
import { formText } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Settings · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const cancellation = await org.api.privacy.organization.cancellation();
  return json({
    ...shellData(org),
    cancellation,
    details: { name: org.organization.name, ...org.organization.profile },
    countries: countryOptions(),
    currencies: currencyOptions(),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  if (intent === "cancel-shop" || intent === "undo-cancel") {
    try {
      if (intent === "cancel-shop") {
        await api.privacy.organization.cancel({ confirmSlug: formText(form, "confirmSlug") });
      } else {
        await api.privacy.organization.undoCancel();
      }
    } catch (error) {
      return json(
        { ok: false, intent, ...actionErrors(error, "Only the shop's owner can do that."), values: null },
        { status: 400 },
      );
    }
    return json({
      ok: true,
      intent,
      formError: null,
      fieldErrors: {} as Record<string, string>,
      values: null,
    });
  }
  const values = { name: formText(form, "name"), ...readBusinessFields(form) };
  try {
    await api.account.organization.updateDetails(values);
  } catch (error) {
    return json(
      {
        ok: false,
        intent: "details",
        ...actionErrors(error, "Only owners and admins can change these details."),
        values,
      },
      { status: 400 },
    );
  }
  return json({
    ok: true,
    intent: "details",
    formError: null,
    fieldErrors: {} as Record<string, string>,
    values,
  });
}

export default function OrganizationSettings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const readOnly = data.organization.role === "member";
  const isOwner = data.organization.role === "owner";
  const details = result?.intent === "details" ? result : undefined;
  const danger = result?.intent === "details" ? undefined : result;
  const values = details?.values ?? data.details;
  const { cancellation } = data;
  return (
    <OrgShell organization={data.organization} memberships={data.memberships}>
      <h1 className="sr-only">Settings</h1>
      {cancellation.scheduled && cancellation.dueAt ? (
        <div className="mb-6">
          <Alert tone="error">
            <p>
              <strong>This shop is scheduled for deletion</strong> on {formatDateTime(cancellation.dueAt)}. It
              takes no new orders; its jobs, customers and files are deleted on that date.
            </p>
            {isOwner ? (
              <Form method="post" className="mt-2">
                <input type="hidden" name="intent" value="undo-cancel" />
                <Button type="submit" variant="secondary" disabled={busy}>
                  Undo cancellation
                </Button>
              </Form>
            ) : (
              <p className="mt-1">Only the shop's owner can undo this.</p>
            )}
          </Alert>
        </div>
      ) : null}
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
          {details?.ok ? <Alert tone="success">The details are saved.</Alert> : null}
          {details?.formError ? <Alert tone="error">{details.formError}</Alert> : null}
          <fieldset disabled={readOnly} className="space-y-4">
            <TextField
              label="Shop name"
              name="name"
              defaultValue={values.name}
              error={details?.fieldErrors.name}
            />
            <BusinessFields
              values={values}
              errors={details?.fieldErrors}
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
      {isOwner && !cancellation.scheduled ? (
        <Section
          id="danger-heading"
          title="Danger zone"
          description="Cancel the shop: it is unlisted and stops taking orders at once. Its jobs, customers and files are kept for 30 days (you can undo until then), then permanently deleted. Marketplace orders keep their amounts without the shop's details."
        >
          <Form method="post" className="space-y-4" noValidate>
            {danger?.ok ? <Alert tone="success">Cancellation undone: the shop stays.</Alert> : null}
            {danger?.formError ? <Alert tone="error">{danger.formError}</Alert> : null}
            <input type="hidden" name="intent" value="cancel-shop" />
            <TextField
              label={`Type the shop's URL name (${data.organization.slug}) to confirm`}
              name="confirmSlug"
              autoComplete="off"
              error={danger?.fieldErrors.confirmSlug}
            />
            <div className="flex justify-end">
              <Button type="submit" variant="danger" disabled={busy}>
                Cancel shop
              </Button>
            </div>
          </Form>
        </Section>
      ) : null}
    </OrgShell>
  );
}
