import { Alert } from "@ktizo/ui";

/**
 * The errors of a failed submit at the top of the form: the form's message, and each field's message
 * (also shown beside the field) so nothing is missed, including errors of fields not on screen.
 */
export function ErrorSummary({
  result,
  labels = {},
}: {
  result: { formError: string | null; fieldErrors: Record<string, string> } | undefined | null;
  labels?: Record<string, string>;
}) {
  if (!result) return null;
  const entries = Object.entries(result.fieldErrors);
  if (!result.formError && entries.length === 0) return null;
  return (
    <Alert tone="error">
      {result.formError ?? "Please correct the following:"}
      {entries.length ? (
        <ul className="mt-1 list-disc pl-5">
          {entries.map(([key, message]) => (
            <li key={key}>
              {labels[key] ?? humanize(key)}: {message}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

function humanize(path: string): string {
  const parts = path.split(".");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] ?? "";
    if (/^\d+$/.test(p)) out.push(`#${Number(p) + 1}`);
    else out.push(p.replace(/([A-Z])/g, " $1").toLowerCase());
  }
  const text = out.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
