import { Section, TextField } from "@ktizo/ui";
import type { ShopProfileView } from "./types";

/** The technologies the shop prints with and its standard and rush lead times. */
export function ShopProductionSection({
  profile,
  errors: e,
}: {
  profile: ShopProfileView;
  errors: Record<string, string>;
}) {
  return (
    <Section id="production" title="Production">
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Technologies</legend>
        <div className="mt-2 flex gap-6 text-sm">
          {(
            [
              ["fdm", "FDM"],
              ["resin", "Resin"],
              ["powder", "Powder"],
            ] as const
          ).map(([v, l]) => (
            <label key={v} className="flex items-center gap-2">
              <input
                type="checkbox"
                name="technologies"
                value={v}
                defaultChecked={profile.technologies.includes(v)}
                className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
              />
              {l}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <TextField
          label="Standard lead time (days)"
          name="standardLeadDays"
          type="number"
          min={1}
          defaultValue={profile.standardLeadDays}
          error={e.standardLeadDays}
        />
        <TextField
          label="Rush lead time (days, optional)"
          name="rushLeadDays"
          type="number"
          min={1}
          defaultValue={profile.rushLeadDays ?? ""}
          error={e.rushLeadDays}
        />
      </div>
    </Section>
  );
}
