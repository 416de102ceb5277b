import { callAuth, requireSession, withCookies } from "@ktizo/runtime/remix";
import { Alert, countryOptions, OptionList, Section, SelectField, TextField } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormBody } from "~/components/intent-form";
import { authErrors } from "~/lib/auth-errors.server";
import { PASSWORD_HINT } from "~/lib/copy";
import { attempt, done, formText, refused, resultFor } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Your account · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const me = await api.account.me();
  return json({ profile: me.profile, countries: countryOptions() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  switch (intent) {
    case "profile":
      return attempt(
        intent,
        () => api.account.updateProfile({ name: formText(form, "name"), country: formText(form, "country") }),
        "Your profile is saved.",
      );
    case "email": {
      const newEmail = formText(form, "newEmail").trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(newEmail))
        return refused(intent, {
          formError: null,
          fieldErrors: { newEmail: "Enter a valid email address." },
        });
      const result = await callAuth(context, request, "/change-email", {
        newEmail,
        callbackURL: "/account?emailChanged=1",
      });
      if (result.status !== 200)
        return refused(
          intent,
          authErrors(result.data, "We could not start the change.", { email: "newEmail" }),
        );
      return done(
        intent,
        "We sent a confirmation link to your current address. The change takes effect when you open it.",
      );
    }
    case "password": {
      const currentPassword = formText(form, "currentPassword");
      const newPassword = formText(form, "newPassword");
      if (!currentPassword || !newPassword)
        return refused(intent, {
          formError: null,
          fieldErrors: {
            ...(currentPassword ? {} : { currentPassword: "Enter your current password." }),
            ...(newPassword ? {} : { newPassword: "Choose a new password." }),
          },
        });
      const result = await callAuth(context, request, "/change-password", {
        currentPassword,
        newPassword,
        revokeOtherSessions: true,
      });
      if (result.status !== 200)
        return refused(
          intent,
          authErrors(result.data, "We could not change the password.", { password: "newPassword" }),
        );
      // The session is re-issued: forward its new cookie so this browser stays signed in.
      return done(
        intent,
        "Your password is changed and your other devices are signed out.",
        withCookies(result.setCookies),
      );
    }
    default:
      return refused(intent, { formError: "Unknown form.", fieldErrors: {} });
  }
}

export default function Account() {
  const { profile, countries } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="space-y-6">
      {params.get("emailChanged") ? <Alert tone="success">Your email address is updated.</Alert> : null}
      <Section
        id="profile-heading"
        title="Profile"
        description="Your name appears on orders and to shops you work with."
      >
        <FormBody intent="profile" data={data} submit="Save profile">
          <TextField
            label="Full name"
            name="name"
            autoComplete="name"
            defaultValue={profile.name}
            error={resultFor(data, "profile")?.fieldErrors.name}
          />
          <SelectField
            label="Country"
            name="country"
            defaultValue={profile.country ?? ""}
            error={resultFor(data, "profile")?.fieldErrors.country}
          >
            <OptionList options={countries} placeholder="Choose your country" />
          </SelectField>
        </FormBody>
      </Section>
      <Section
        id="email-heading"
        title="Email address"
        description={
          <>
            You sign in with <strong className="text-slate-900 dark:text-white">{profile.email}</strong>. To
            change it, confirm from your current address first.
          </>
        }
      >
        <FormBody intent="email" data={data} submit="Change email">
          <TextField
            label="New email address"
            name="newEmail"
            type="email"
            autoComplete="email"
            error={resultFor(data, "email")?.fieldErrors.newEmail}
          />
        </FormBody>
      </Section>
      <Section id="password-heading" title="Password" description="Changing it signs out your other devices.">
        <FormBody intent="password" data={data} submit="Change password">
          <TextField
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            error={resultFor(data, "password")?.fieldErrors.currentPassword}
          />
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            hint={PASSWORD_HINT}
            error={resultFor(data, "password")?.fieldErrors.newPassword}
          />
        </FormBody>
      </Section>
    </div>
  );
}
