export { Button, type ButtonVariant, buttonClass } from "./button.tsx";
export { cx } from "./cx.ts";
export { CheckboxField, OptionList, SelectField, TextField } from "./field.tsx";
export { type ActionErrors, actionErrors, errorCode } from "./form-errors.ts";
export { listQuery, pageHref } from "./format.ts";
export { Alert, Badge, Card, PageHeader, Section } from "./layout.tsx";
export { countryOptions, currencyOptions, type Option } from "./locale.ts";
export { type Paged, PagedTable } from "./paged-table.tsx";
export { EmptyState, Pagination, SearchForm, Table, Td, Th } from "./table.tsx";
