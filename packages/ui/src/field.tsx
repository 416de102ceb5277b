import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";
import { cx } from "./cx.ts";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-600 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700";

/** A text input's or select's classes, ringed in red while it has an error. */
const controlClass = (error: string | undefined) =>
  cx(control, "mt-1", error && "ring-red-500 dark:ring-red-500");

interface FieldProps {
  label: string;
  /** The server's message for this field, shown beside it and announced to screen readers. */
  error?: string | undefined;
  hint?: ReactNode;
}

/**
 * The control's id (the one given, or a generated one) and the attributes that tie its hint and error
 * to it for screen readers.
 */
function useFieldIds(id: string | undefined, error: string | undefined, hint: ReactNode) {
  const generated = useId();
  const controlId = id ?? generated;
  const describedBy = [error ? `${controlId}-error` : null, hint ? `${controlId}-hint` : null]
    .filter(Boolean)
    .join(" ");
  const aria = {
    id: controlId,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy || undefined,
  };
  return { controlId, aria };
}

/** A label above its control, the hint and the error below. */
function StackedField({
  label,
  controlId,
  className,
  hint,
  error,
  children,
}: FieldProps & { controlId: string; className: string | undefined; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={controlId} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {children}
      <FieldNotes controlId={controlId} hint={hint} error={error} />
    </div>
  );
}

/** The hint and the error under a control, with the ids its aria-describedby names. */
function FieldNotes({
  controlId,
  hint,
  error,
  indent,
}: {
  controlId: string;
  hint: ReactNode;
  error: string | undefined;
  /** Classes that line the notes up with a label beside the control (checkboxes). */
  indent?: string | undefined;
}) {
  return (
    <>
      {hint ? (
        <p id={`${controlId}-hint`} className={cx(indent, "mt-1 text-xs text-slate-500 dark:text-slate-400")}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p
          id={`${controlId}-error`}
          role="alert"
          className={cx(indent, "mt-1 text-sm text-red-600 dark:text-red-400")}
        >
          {error}
        </p>
      ) : null}
    </>
  );
}

/** A labelled input with its error tied to it by aria-describedby. */
export function TextField({
  label,
  error,
  hint,
  className,
  id,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const { controlId, aria } = useFieldIds(id, error, hint);
  return (
    <StackedField label={label} controlId={controlId} className={className} hint={hint} error={error}>
      <input {...aria} className={controlClass(error)} {...input} />
    </StackedField>
  );
}

export function SelectField({
  label,
  error,
  hint,
  className,
  id,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const { controlId, aria } = useFieldIds(id, error, hint);
  return (
    <StackedField label={label} controlId={controlId} className={className} hint={hint} error={error}>
      <select {...aria} className={controlClass(error)} {...select}>
        {children}
      </select>
    </StackedField>
  );
}

/** A checkbox with its label beside it; the error is tied to it like the other fields. */
export function CheckboxField({
  label,
  error,
  hint,
  className,
  id,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const { controlId, aria } = useFieldIds(id, error, hint);
  return (
    <div className={className}>
      <div className="flex items-start gap-2">
        <input
          {...aria}
          type="checkbox"
          className="mt-0.5 h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-2 focus:ring-brand-600 dark:border-slate-600 dark:bg-slate-900"
          {...input}
        />
        <label htmlFor={controlId} className="text-sm font-medium text-slate-700 dark:text-slate-300">
          {label}
        </label>
      </div>
      <FieldNotes controlId={controlId} hint={hint} error={error} indent="ml-6" />
    </div>
  );
}

/** Choices built by countryOptions()/currencyOptions() on the server, with an empty first choice. */
export function OptionList({
  options,
  placeholder,
}: {
  options: { value: string; label: string }[];
  placeholder?: string;
}) {
  return (
    <>
      {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}
