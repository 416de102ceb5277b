import { CheckboxField, Section, TextField } from "@ktizo/ui";
import { TextAreaField } from "~/components/shop/controls";
import type { ShopProfileView } from "./types";

/** The shop's name, web address, legal name, description and marketplace listing. */
export function ShopIdentitySection({
  profile,
  errors: e,
}: {
  profile: ShopProfileView;
  errors: Record<string, string>;
}) {
  return (
    <Section id="identity" title="Identity">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Shop name" name="name" defaultValue={profile.name} error={e.name} />
        <TextField
          label="Web address"
          name="slug"
          defaultValue={profile.slug}
          hint="Lowercase letters, digits and hyphens"
          error={e.slug}
        />
        <TextField
          label="Legal company name"
          name="companyName"
          defaultValue={profile.companyName}
          hint="The legal name on your quotes and invoices."
          error={e.companyName}
          className="sm:col-span-2"
        />
      </div>
      <TextAreaField
        className="mt-4"
        label="Description"
        name="description"
        rows={4}
        defaultValue={profile.description}
        error={e.description}
      />
      <div className="mt-4">
        <CheckboxField
          label="Listed on the marketplace"
          name="listed"
          defaultChecked={profile.listed}
          hint="Unlisted shops still work through their own link and widget."
        />
      </div>
    </Section>
  );
}
