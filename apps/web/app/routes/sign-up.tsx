import { minimumAge } from "@ktizo/auth";
import { apiFor, callAuth, safeRedirect } from "@ktizo/runtime/remix";
import {
  Alert,
  Button,
  Card,
  CheckboxField,
  EmailField,
  OptionList,
  SelectField,
  TextField,
} from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { NewPasswordField } from "~/components/auth-fields";
import { authErrors } from "~/lib/auth-errors.server";
import { countriesWithMinimumAge, guessCountry } from "~/lib/countries.server";

export const meta: MetaFunction = () => [{ title: "Create your account · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session } = await apiFor(request, context);
  if (session) throw redirect("/");
  return json({ countries: countriesWithMinimumAge(), defaultCountry: guessCountry(request) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = {
    name: String(form.get("name") ?? "").trim(),
    email: String(form.get("email") ?? "").trim(),
    country: String(form.get("country") ?? ""),
  };
  const password = String(form.get("password") ?? "");
  const fieldErrors: Record<string, string> = {};
  if (!values.name) fieldErrors.name = "Enter your name.";
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) fieldErrors.email = "Enter a valid email address.";
  if (!password) fieldErrors.password = "Choose a password.";
  if (!values.country) fieldErrors.country = "Choose your country.";
  // The box confirms the age its label showed; the server compares it with the country's minimum.
  const confirmedAge = form.get("age") === "on" ? Number(form.get("ageShown")) : 0;
  if (!confirmedAge && values.country)
    fieldErrors.age = `You must be ${minimumAge(values.country)} or older to create an account.`;
  if (Object.keys(fieldErrors).length > 0)
    return json({ formError: null, fieldErrors, values }, { status: 400 });

  // Where the visitor was going before signing up (a cart item, an invitation) survives the email step.
  const next = safeRedirect(form.get("redirectTo"), "");
  const carry = next ? `&redirectTo=${encodeURIComponent(next)}` : "";
  const result = await callAuth(context, request, "/sign-up/email", {
    ...values,
    password,
    confirmedAge,
    callbackURL: `/verify-email?verified=1${carry}`,
  });
  // Known and new addresses get the same answer: the email itself says what happened.
  if (result.status === 200) return redirect(`/verify-email?sent=1${carry}`);
  const errors =
    result.status === 429
      ? { formError: "Too many attempts. Wait a minute and try again.", fieldErrors: {} }
      : authErrors(result.data, "We could not create the account. Check the form and try again.");
  return json({ ...errors, values }, { status: result.status === 429 ? 429 : 400 });
}

export default function SignUp() {
  const { countries, defaultCountry } = useLoaderData<typeof loader>();
  const redirectTo = useSearchParams()[0].get("redirectTo") ?? "";
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [country, setCountry] = useState(data?.values.country ?? defaultCountry);
  const age = countries.find((c) => c.value === country)?.minimumAge ?? 13;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-center text-2xl font-bold">Create your Ktizo account</h1>
      <p className="mb-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Order prints from shops near you, or run your own print shop.
      </p>
      <Card>
        <Form method="post" className="space-y-4" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          {data?.formError ? <Alert tone="error">{data.formError}</Alert> : null}
          <TextField
            label="Full name"
            name="name"
            autoComplete="name"
            required
            defaultValue={data?.values.name}
            error={data?.fieldErrors.name}
          />
          <EmailField defaultValue={data?.values.email} error={data?.fieldErrors.email} />
          <NewPasswordField label="Password" error={data?.fieldErrors.password} />
          <SelectField
            label="Country"
            name="country"
            required
            value={country}
            onChange={(e) => setCountry(e.currentTarget.value)}
            error={data?.fieldErrors.country}
          >
            <OptionList options={countries} placeholder="Choose your country" />
          </SelectField>
          <input type="hidden" name="ageShown" value={age} />
          <CheckboxField
            label={`I am ${age} or older`}
            name="age"
            hint="In the EU and EEA you must be 16 or older; elsewhere 13."
            error={data?.fieldErrors.age}
          />
          <Button type="submit" disabled={busy} className="w-full">
            {busy ? "Creating account…" : "Create account"}
          </Button>
        </Form>
      </Card>
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Already have an account?{" "}
        <Link to="/sign-in" className="font-semibold text-brand-600 hover:underline dark:text-brand-400">
          Sign in
        </Link>
      </p>
    </div>
  );
}
