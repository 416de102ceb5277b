import { actionErrors, Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { ShopPage } from "~/components/shop/shop-page";
import { formText, refused } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "New customer · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  return json(shellData(org));
}

/** Creates a customer record on its own (walk-in, phone, email), before or without a job. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const line1 = formText(form, "line1").trim();
  try {
    const customer = await api.job.customers.create({
      name: formText(form, "name"),
      company: formText(form, "company"),
      email: formText(form, "email"),
      phone: formText(form, "phone"),
      notifyChannel: formText(form, "notifyChannel") as "email",
      smsConsent: form.get("smsConsent") === "on",
      notes: formText(form, "notes"),
      addresses: line1
        ? [
            {
              label: "Shipping",
              line1,
              city: formText(form, "city"),
              postalCode: formText(form, "postalCode"),
              country: formText(form, "country"),
            },
          ]
        : [],
    });
    return redirect(`/org/customers/${customer.id}?created=1`);
  } catch (error) {
    return refused("create", actionErrors(error, "The customer could not be created."));
  }
}

export default function NewCustomer() {
  const shell = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const e = result?.fieldErrors ?? {};
  return (
    <ShopPage
      shell={shell}
      title="New customer"
      description="A customer record for walk-in, phone and email work. Jobs can be added later."
      actions={
        <Link to="/org/customers" className={linkClass}>
          All customers
        </Link>
      }
    >
      <Section id="customer-heading" title="Customer">
        <Form method="post" noValidate className="space-y-4">
          <ErrorSummary result={result} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="Name" name="name" required error={e.name} />
            <TextField label="Company" name="company" error={e.company} />
            <TextField label="Email" name="email" type="email" error={e.email} />
            <TextField label="Phone" name="phone" error={e.phone} />
            <SelectField
              label="Notifications by"
              name="notifyChannel"
              defaultValue="email"
              error={e.notifyChannel}
            >
              <option value="email">Email</option>
              <option value="sms">SMS</option>
              <option value="both">Email and SMS</option>
              <option value="none">None for marketing</option>
            </SelectField>
          </div>
          <CheckboxField
            label="The customer agreed to receive texts"
            name="smsConsent"
            hint="Texts are sent only after the customer agreed; your name and the time are recorded"
          />
          <fieldset className="grid gap-4 sm:grid-cols-2">
            <legend className="mb-2 text-sm font-semibold">Shipping address (optional)</legend>
            <TextField label="Street address" name="line1" error={e["addresses.0.line1"]} />
            <TextField label="City" name="city" error={e["addresses.0.city"]} />
            <TextField label="Postal code" name="postalCode" error={e["addresses.0.postalCode"]} />
            <TextField
              label="Country code"
              name="country"
              hint="Two letters, such as US"
              error={e["addresses.0.country"]}
            />
          </fieldset>
          <TextAreaField label="Notes" name="notes" rows={3} error={e.notes} />
          <div className="flex justify-end">
            <Button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Create customer"}
            </Button>
          </div>
        </Form>
      </Section>
    </ShopPage>
  );
}
