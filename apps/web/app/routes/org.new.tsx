import { requireSession } from "@ktizo/runtime/remix";
import {
  Alert,
  actionErrors,
  Button,
  Card,
  countryOptions,
  currencyOptions,
  PageHeader,
  TextField,
} from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { BusinessFields, readBusinessFields } from "~/components/business-fields";
import { formText } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Create an organization · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const me = await api.account.me();
  return json({
    origin: new URL(request.url).origin,
    defaultCountry: me.profile.country ?? "",
    countries: countryOptions(),
    currencies: currencyOptions(),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  const values = { name: formText(form, "name"), slug: formText(form, "slug"), ...readBusinessFields(form) };
  try {
    // Creating makes it the session's active organization.
    await api.account.organizations.create(values);
  } catch (error) {
    return json({ ...actionErrors(error), values }, { status: 400 });
  }
  return redirect("/org?created=1");
}

/** What the API would make of the name when no address is typed (a preview only; the server decides). */
function slugPreview(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
}

export default function NewOrganization() {
  const { origin, defaultCountry, countries, currencies } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [name, setName] = useState(data?.values.name ?? "");
  const [slug, setSlug] = useState(data?.values.slug ?? "");
  const shown = slug.trim().toLowerCase() || slugPreview(name) || "your-shop";
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title="Create a shop or business"
        description="Your workspace for quotes, jobs, printers and invoices. You can invite your team next."
      />
      <Card>
        <Form method="post" className="space-y-6" noValidate>
          {data?.formError ? <Alert tone="error">{data.formError}</Alert> : null}
          <fieldset className="space-y-4">
            <legend className="text-base font-semibold">Your shop</legend>
            <TextField
              label="Shop name"
              name="name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={data?.fieldErrors.name}
            />
            <TextField
              label="Web address (optional)"
              name="slug"
              value={slug}
              onChange={(e) => setSlug(e.currentTarget.value)}
              autoCapitalize="none"
              spellCheck={false}
              hint={
                <>
                  Lowercase letters, digits and hyphens. Your shop page, once listed:{" "}
                  <span className="font-mono text-slate-700 dark:text-slate-300" aria-live="polite">
                    {origin}/shops/{shown}
                  </span>
                </>
              }
              error={data?.fieldErrors.slug}
            />
          </fieldset>
          <fieldset className="space-y-4">
            <legend className="text-base font-semibold">Business details</legend>
            <BusinessFields
              values={data?.values ?? { country: defaultCountry }}
              errors={data?.fieldErrors}
              countries={countries}
              currencies={currencies}
            />
          </fieldset>
          <div className="flex justify-end">
            <Button type="submit" disabled={busy}>
              {busy ? "Creating…" : "Create organization"}
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
