export { Button, type ButtonVariant, buttonClass } from "./button.tsx";
export { cx } from "./cx.ts";
export { SelectField, TextField } from "./field.tsx";
export { Alert, Badge, Card, PageHeader } from "./layout.tsx";
