import { Section, SelectField, TextField } from "@ktizo/ui";
import type { ShopProfileView } from "./types";

/** The address's fields in form order (named `address.<key>` in the form). */
const ADDRESS_FIELDS = [
  ["line1", "Address line 1"],
  ["line2", "Address line 2"],
  ["city", "City"],
  ["postalCode", "Postal code"],
  ["region", "Region"],
] as const;

/** How customers reach the shop, its address, country, currency and time zone. */
export function ShopContactSection({
  profile,
  errors: e,
  countries,
  currencies,
}: {
  profile: ShopProfileView;
  errors: Record<string, string>;
  countries: { value: string; label: string }[];
  currencies: { value: string; label: string }[];
}) {
  return (
    <Section id="contact" title="Contact and address">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Contact email"
          name="contactEmail"
          type="email"
          defaultValue={profile.contactEmail ?? ""}
          error={e.contactEmail}
        />
        <TextField label="Phone" name="phone" defaultValue={profile.phone ?? ""} error={e.phone} />
        {ADDRESS_FIELDS.map(([key, label]) => (
          <TextField
            key={key}
            label={label}
            name={`address.${key}`}
            defaultValue={profile.address[key] ?? ""}
            error={e[`address.${key}`]}
          />
        ))}
        <SelectField label="Country" name="country" defaultValue={profile.country} error={e.country}>
          {countries.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Currency" name="currency" defaultValue={profile.currency} error={e.currency}>
          {currencies.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Time zone"
          name="timezone"
          defaultValue={profile.timezone}
          hint="A name like Europe/Berlin or America/New_York"
          error={e.timezone}
        />
      </div>
    </Section>
  );
}
