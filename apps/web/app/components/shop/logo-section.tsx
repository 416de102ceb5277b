import { Alert, Button, Section, TextField } from "@ktizo/ui";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";

/**
 * The shop's logo on the profile page: the current image, an upload (PNG, JPEG, GIF or WebP up to 2 MB,
 * checked by content on the server) and removal. Its own forms post to /org/profile/logo.
 */
export function LogoSection({
  logo,
  shopName,
  readOnly,
}: {
  logo: string | null;
  shopName: string;
  readOnly: boolean;
}) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formAction?.endsWith("/org/profile/logo");
  const error = params.get("logoError");
  const done = params.get("logo");
  return (
    <Section
      id="logo"
      title="Logo"
      description="Shown on the marketplace and in your quote widget. PNG, JPEG, GIF or WebP, at most 2 MB."
    >
      {done === "saved" ? <Alert tone="success">The logo is updated.</Alert> : null}
      {done === "removed" ? <Alert tone="success">The logo is removed.</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="mt-2 flex flex-wrap items-center gap-6">
        {logo ? (
          <img
            src={logo}
            alt={`${shopName} logo`}
            className="h-20 w-20 rounded-lg bg-white object-contain ring-1 ring-slate-200 dark:ring-slate-700"
          />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">No logo yet.</p>
        )}
        {readOnly ? null : (
          <div className="flex flex-wrap items-end gap-4">
            <Form
              method="post"
              action="/org/profile/logo"
              encType="multipart/form-data"
              reloadDocument
              className="flex flex-wrap items-end gap-3"
            >
              <TextField
                label="Logo image"
                name="logo"
                type="file"
                accept="image/png,image/jpeg,image/gif,image/webp"
                required
              />
              <Button type="submit" variant="secondary" disabled={busy}>
                {busy ? "Uploading…" : "Upload logo"}
              </Button>
            </Form>
            {logo ? (
              <Form method="post" action="/org/profile/logo" reloadDocument>
                <input type="hidden" name="intent" value="remove" />
                <Button type="submit" variant="ghost">
                  Remove logo
                </Button>
              </Form>
            ) : null}
          </div>
        )}
      </div>
    </Section>
  );
}
