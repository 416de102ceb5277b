import { Alert, Button, Section, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormBody } from "~/components/intent-form";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, formText, refused, resultFor } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Messages and texts · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const [templates, sms] = await Promise.all([org.api.job.templates.list(), org.api.shop.sms.get()]);
  return json({ ...shellData(org), templates, sms });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  const fields = () => ({
    name: formText(form, "name"),
    subject: formText(form, "subject"),
    body: formText(form, "body"),
  });
  switch (intent) {
    case "sms":
      return attempt(
        intent,
        () =>
          api.shop.sms.update({
            phone: formText(form, "phone"),
            messagingServiceSid: formText(form, "messagingServiceSid"),
          }),
        "SMS sender saved.",
      );
    case "create":
      return attempt(intent, () => api.job.templates.create(fields()), "Template added.");
    default: {
      const [verb, id = ""] = intent.split(":");
      if (verb === "update")
        return attempt(intent, () => api.job.templates.update({ id, ...fields() }), "Template saved.");
      if (verb === "delete")
        return attempt(intent, () => api.job.templates.delete({ id }), "Template deleted.");
      return refused(intent, { formError: "Unknown action", fieldErrors: {} });
    }
  }
}

function TemplateFields({
  errors,
  values,
}: {
  errors: Record<string, string | undefined>;
  values?: { name: string; subject: string | null; body: string };
}) {
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" defaultValue={values?.name ?? ""} error={errors.name} />
        <TextField
          label="Email subject (optional)"
          name="subject"
          defaultValue={values?.subject ?? ""}
          error={errors.subject}
        />
      </div>
      <TextAreaField
        label="Message"
        name="body"
        rows={3}
        defaultValue={values?.body ?? ""}
        error={errors.body}
      />
    </>
  );
}

/**
 * Workspace settings for talking to customers (issue 13): the shop's SMS sender (its Twilio number,
 * optionally a Messaging Service) and the message templates with their placeholders.
 */
export default function MessageSettings() {
  const { dateTime } = useFormat();
  const { templates, sms, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const created = resultFor(data, "create");
  const isAdmin = shell.organization.role === "owner" || shell.organization.role === "admin";
  return (
    <ShopPage
      shell={shell}
      title="Messages and texts"
      description="How the shop texts its customers, and the messages it sends often."
      actions={
        <Link to="/org/settings" className={linkClass}>
          All settings
        </Link>
      }
    >
      <Section
        id="sms-heading"
        title="SMS sender"
        description="The Twilio number customers text (their replies reach this shop by it) and, optionally, the Messaging Service that sends for it. Without them the shop cannot text."
      >
        {isAdmin ? (
          <FormBody intent="sms" data={data} submit="Save SMS sender">
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                label="Shop's SMS number"
                name="phone"
                defaultValue={sms.phoneE164 ?? ""}
                error={resultFor(data, "sms")?.fieldErrors.phone}
                hint="With the country code, such as +1 415 555 2671. Empty: the shop stops texting."
              />
              <TextField
                label="Messaging Service SID (optional)"
                name="messagingServiceSid"
                defaultValue={sms.messagingServiceSid ?? ""}
                error={resultFor(data, "sms")?.fieldErrors.messagingServiceSid}
                hint="MG followed by 32 characters"
              />
            </div>
          </FormBody>
        ) : (
          <p className="text-sm">
            {sms.phoneE164 ? `Texts go from ${sms.phoneE164}.` : "No SMS number yet."}
          </p>
        )}
      </Section>
      <Section
        id="templates-heading"
        title="Message templates"
        description="Placeholders: {job_number}, {customer_name}, {proof_link}, {payment_link}, {pickup_address}, {shop_name}. They are filled for each job and previewed before anything is sent."
      >
        <div className="space-y-6">
          {templates.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No templates yet.</p>
          ) : (
            <ul className="space-y-4">
              {templates.map((t) => {
                const own = resultFor(data, `update:${t.id}`) ?? resultFor(data, `delete:${t.id}`);
                return (
                  <li key={t.id} className="rounded-lg p-4 ring-1 ring-slate-200 dark:ring-slate-700">
                    <details>
                      <summary className="cursor-pointer text-sm">
                        <span className="font-medium">{t.name}</span>{" "}
                        <span className="text-xs text-slate-500 dark:text-slate-400">
                          edited {dateTime(t.updatedAt)}
                        </span>
                        <span className="mt-1 block whitespace-pre-wrap break-words text-slate-600 dark:text-slate-400">
                          {t.body}
                        </span>
                      </summary>
                      {isAdmin ? (
                        <div className="mt-4 space-y-4">
                          <FormBody intent={`update:${t.id}`} data={data} submit="Save template">
                            <TemplateFields errors={own?.fieldErrors ?? {}} values={t} />
                          </FormBody>
                          <Form method="post">
                            <input type="hidden" name="intent" value={`delete:${t.id}`} />
                            <Button type="submit" variant="danger" disabled={busy}>
                              Delete {t.name}
                            </Button>
                          </Form>
                        </div>
                      ) : null}
                    </details>
                    {own?.formError ? <Alert tone="error">{own.formError}</Alert> : null}
                  </li>
                );
              })}
            </ul>
          )}
          {isAdmin ? (
            <div>
              <h3 className="mb-2 text-sm font-semibold">New template</h3>
              <FormBody intent="create" data={data} submit="Add template">
                <TemplateFields errors={created?.fieldErrors ?? {}} />
              </FormBody>
            </div>
          ) : null}
        </div>
      </Section>
    </ShopPage>
  );
}
