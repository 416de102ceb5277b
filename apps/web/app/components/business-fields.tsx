import { type Option, OptionList, SelectField, TextField } from "@ktizo/ui";

export interface BusinessValues {
  companyName?: string | null;
  phone?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  postalCode?: string | null;
  region?: string | null;
  country?: string | null;
  currency?: string | null;
}

export const BUSINESS_FIELDS = [
  "companyName",
  "phone",
  "addressLine1",
  "addressLine2",
  "city",
  "postalCode",
  "region",
  "country",
  "currency",
] as const;

/** The form's business fields as strings, for the API's schema to validate. */
export function readBusinessFields(form: FormData) {
  return Object.fromEntries(BUSINESS_FIELDS.map((k) => [k, String(form.get(k) ?? "")])) as Record<
    (typeof BUSINESS_FIELDS)[number],
    string
  >;
}

/** Company name, phone, address, country and currency: shown on quotes and invoices. */
export function BusinessFields({
  values,
  errors,
  countries,
  currencies,
}: {
  values: BusinessValues | undefined;
  errors: Record<string, string> | undefined;
  countries: Option[];
  currencies: Option[];
}) {
  const v = (k: keyof BusinessValues) => values?.[k] ?? "";
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField
        className="sm:col-span-2"
        label="Company name"
        name="companyName"
        autoComplete="organization"
        hint="The legal name on your quotes and invoices."
        defaultValue={v("companyName")}
        error={errors?.companyName}
      />
      <TextField
        label="Phone"
        name="phone"
        type="tel"
        autoComplete="tel"
        defaultValue={v("phone")}
        error={errors?.phone}
      />
      <TextField
        className="sm:col-span-2"
        label="Address line 1"
        name="addressLine1"
        autoComplete="address-line1"
        defaultValue={v("addressLine1")}
        error={errors?.addressLine1}
      />
      <TextField
        className="sm:col-span-2"
        label="Address line 2 (optional)"
        name="addressLine2"
        autoComplete="address-line2"
        defaultValue={v("addressLine2")}
        error={errors?.addressLine2}
      />
      <TextField
        label="City"
        name="city"
        autoComplete="address-level2"
        defaultValue={v("city")}
        error={errors?.city}
      />
      <TextField
        label="Postal code"
        name="postalCode"
        autoComplete="postal-code"
        defaultValue={v("postalCode")}
        error={errors?.postalCode}
      />
      <TextField
        label="State or region (optional)"
        name="region"
        autoComplete="address-level1"
        defaultValue={v("region")}
        error={errors?.region}
      />
      <SelectField
        label="Country"
        name="country"
        autoComplete="country"
        defaultValue={v("country")}
        error={errors?.country}
      >
        <OptionList options={countries} placeholder="Choose a country" />
      </SelectField>
      <SelectField
        label="Currency"
        name="currency"
        defaultValue={v("currency")}
        hint="Prices, quotes and invoices use it."
        error={errors?.currency}
      >
        <OptionList options={currencies} placeholder="Choose a currency" />
      </SelectField>
    </div>
  );
}
