import { Section, SelectField, TextField } from "@ktizo/ui";
import type { ShopProfileView } from "./types";

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
        <TextField
          label="Address line 1"
          name="address.line1"
          defaultValue={profile.address.line1 ?? ""}
          error={e["address.line1"]}
        />
        <TextField
          label="Address line 2"
          name="address.line2"
          defaultValue={profile.address.line2 ?? ""}
          error={e["address.line2"]}
        />
        <TextField
          label="City"
          name="address.city"
          defaultValue={profile.address.city ?? ""}
          error={e["address.city"]}
        />
        <TextField
          label="Postal code"
          name="address.postalCode"
          defaultValue={profile.address.postalCode ?? ""}
          error={e["address.postalCode"]}
        />
        <TextField
          label="Region"
          name="address.region"
          defaultValue={profile.address.region ?? ""}
          error={e["address.region"]}
        />
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
