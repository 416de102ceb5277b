import { cx } from "@ktizo/ui";
import type { SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useId } from "react";
import { PRIORITIES, PRIORITY_LABELS } from "./format";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-600 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700";

/** A labelled textarea with its error tied to it (aria-describedby). */
export function TextAreaField({
  label,
  error,
  className,
  id,
  ...rest
}: { label: string; error?: string | undefined } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className={className}>
      <label htmlFor={fieldId} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <textarea
        id={fieldId}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${fieldId}-error` : undefined}
        className={cx(control, "mt-1", error && "ring-red-500")}
        {...rest}
      />
      {error ? (
        <p id={`${fieldId}-error`} role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A compact select for toolbars (its label may be visually hidden). */
export function InlineSelect({
  label,
  hideLabel,
  className,
  children,
  ...rest
}: { label: string; hideLabel?: boolean } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className={className}>
      <label
        htmlFor={id}
        className={cx("block text-sm font-medium text-slate-700 dark:text-slate-300", hideLabel && "sr-only")}
      >
        {label}
      </label>
      <select id={id} className={cx(control, hideLabel ? "" : "mt-1", "pr-8")} {...rest}>
        {children}
      </select>
    </div>
  );
}

export const linkClass = "font-medium text-brand-700 hover:underline dark:text-brand-300";

/** The job priorities as a select's options, with their labels. */
export function PriorityOptions() {
  return (
    <>
      {PRIORITIES.map((p) => (
        <option key={p} value={p}>
          {PRIORITY_LABELS[p]}
        </option>
      ))}
    </>
  );
}

/** Printers as a select's options; a printer that is not available says its status. */
export function PrinterOptions({ printers }: { printers: { id: string; name: string; status: string }[] }) {
  return (
    <>
      {printers.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
          {p.status !== "available" ? ` (${p.status})` : ""}
        </option>
      ))}
    </>
  );
}
