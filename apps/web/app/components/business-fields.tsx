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

/** The text fields in form order: the address ones with the browser's autofill names. */
const TEXT_FIELDS: {
  name: Exclude<keyof BusinessValues, "country" | "currency">;
  label: string;
  autoComplete: string;
  type?: "tel";
  wide?: true;
  hint?: string;
}[] = [
  {
    name: "companyName",
    label: "Company name",
    autoComplete: "organization",
    wide: true,
    hint: "The legal name on your quotes and invoices.",
  },
  { name: "phone", label: "Phone", type: "tel", autoComplete: "tel" },
  { name: "addressLine1", label: "Address line 1", autoComplete: "address-line1", wide: true },
  { name: "addressLine2", label: "Address line 2 (optional)", autoComplete: "address-line2", wide: true },
  { name: "city", label: "City", autoComplete: "address-level2" },
  { name: "postalCode", label: "Postal code", autoComplete: "postal-code" },
  { name: "region", label: "State or region (optional)", autoComplete: "address-level1" },
];

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
      {TEXT_FIELDS.map((f) => (
        <TextField
          key={f.name}
          className={f.wide ? "sm:col-span-2" : undefined}
          label={f.label}
          name={f.name}
          type={f.type}
          autoComplete={f.autoComplete}
          hint={f.hint}
          defaultValue={v(f.name)}
          error={errors?.[f.name]}
        />
      ))}
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
