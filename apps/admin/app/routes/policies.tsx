import { formatDateTime } from "@ktizo/api/shared";
import { Alert, Button, PageHeader, Section, SelectField, Table, Td, TextField, Th } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Policies · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  return json({ versions: await api.privacy.admin.policyVersions() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "");
  const kind = text("kind") === "terms" ? "terms" : "privacy";
  try {
    const published = await api.privacy.admin.publishPolicy({
      kind,
      title: text("title"),
      body: text("body"),
      summary: text("summary"),
      effectiveAt: new Date(`${text("effectiveAt")}T00:00:00Z`),
    });
    return json({
      ok: true,
      message: `Version ${published.version} published; it takes effect on ${published.effectiveAt.toISOString().slice(0, 10)}.`,
      error: null,
    });
  } catch (error) {
    return json(
      { ok: false, message: null, error: error instanceof Error ? error.message : "Could not publish" },
      { status: 400 },
    );
  }
}

/** P31: publish a new version (at least 30 days ahead; users are emailed and see a banner). */
export default function Policies() {
  const { versions } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Policies"
        description="Versions of the privacy policy and terms, and how many accounts accepted each."
      />
      <Table caption="Policy versions">
        <thead>
          <tr>
            <Th>Policy</Th>
            <Th>Version</Th>
            <Th>Effective</Th>
            <Th>Published</Th>
            <Th>Accepted by</Th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <Td>{v.kind === "privacy" ? "Privacy policy" : "Terms of service"}</Td>
              <Td>{v.version}</Td>
              <Td>{formatDateTime(v.effectiveAt)}</Td>
              <Td>{formatDateTime(v.publishedAt)}</Td>
              <Td>{v.acceptances}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <div className="mt-8">
        <Section
          id="publish-policy"
          title="Publish a new version"
          description="A new version must take effect at least 30 days from today. Every user sees a banner at once and is emailed by a background job within minutes."
        >
          <Form method="post" className="space-y-4">
            {data?.message ? <Alert tone="success">{data.message}</Alert> : null}
            {data?.error ? <Alert tone="error">{data.error}</Alert> : null}
            <SelectField label="Policy" name="kind" defaultValue="privacy">
              <option value="privacy">Privacy policy</option>
              <option value="terms">Terms of service</option>
            </SelectField>
            <TextField label="Title" name="title" required />
            <TextField label="Effective date" name="effectiveAt" type="date" required />
            <TextField label="What changes (shown in the email and banner)" name="summary" />
            <label className="block text-sm font-medium">
              Text
              <textarea
                name="body"
                required
                rows={12}
                className="mt-1 block w-full rounded-md border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
              />
            </label>
            <Button type="submit">Publish</Button>
          </Form>
        </Section>
      </div>
    </>
  );
}
