import { Alert, actionErrors, Button, Section, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AiSettingsSection } from "~/components/ai/settings-section";
import { OrgShell } from "~/components/org-shell";
import { linkClass } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { formText } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Settings · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const [cancellation, privacy] = await Promise.all([
    org.api.privacy.organization.cancellation(),
    org.api.privacy.organization.get(),
  ]);
  return json({ ...shellData(org), cancellation, aiOff: privacy.aiOff });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  if (intent === "ai-switch") {
    try {
      await api.privacy.organization.setAiOff({ aiOff: formText(form, "aiOff") === "1" });
    } catch (error) {
      return json(
        { ok: false, intent, ...actionErrors(error, "Only owners and admins can do that."), values: null },
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
  // Name, legal name, address, country and currency are edited on the shop profile (one way only).
  return json(
    {
      ok: false,
      intent,
      formError: "Unknown action",
      fieldErrors: {} as Record<string, string>,
      values: null,
    },
    { status: 400 },
  );
}

export default function OrganizationSettings() {
  const { dateTime: formatDateTime } = useFormat();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const isOwner = data.organization.role === "owner";
  const danger = result?.intent === "ai-switch" ? undefined : result;
  const isAdmin = data.organization.role !== "member";
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
        description="The shop's name, web address, legal company name, contact details, address, country and currency."
      >
        <p className="text-sm">
          They are edited on the{" "}
          <Link to="/org/profile" className={linkClass}>
            shop profile
          </Link>
          .
        </p>
      </Section>
      <div className="mt-6">
        <Section
          id="messages-heading"
          title="Messages and texts"
          description="The shop's SMS number and the message templates used in job conversations."
        >
          <p className="text-sm">
            <Link to="/org/settings/messages" className={linkClass}>
              SMS sender and message templates
            </Link>
          </p>
        </Section>
      </div>
      <AiSettingsSection
        aiOff={data.aiOff}
        canChange={isAdmin}
        busy={busy}
        error={result?.intent === "ai-switch" ? result.formError : null}
      />
      <div className="my-6">
        <Section
          id="support-heading"
          title="Support access"
          description="Let the Ktizo support team look at your workspace, read-only, for a limited time."
        >
          <p className="text-sm">
            {isOwner ? "Grant or revoke it, and see every page support viewed, on the " : "See it on the "}
            <Link to="/org/support" className={linkClass}>
              support access page
            </Link>
            .
          </p>
        </Section>
      </div>
      {isOwner && !cancellation.scheduled ? (
        <Section
          id="danger-heading"
          title="Danger zone"
          tone="danger"
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
