import { z } from "zod";
import { TECHNOLOGIES } from "../browser-safe/job-status.ts";

/** Input pieces every domain validates with. */
export const idSchema = z.string().trim().min(1, "Required").max(100, "Not a valid id");

export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD");

export const minorAmountSchema = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} is in minor units (cents), a whole number`)
    .min(0, `${label} cannot be negative`)
    .max(100_000_000_00, `${label} is too large`);

export const technologySchema = z.enum(TECHNOLOGIES, {
  error: "Choose FDM, resin or powder",
});

export const dateInputSchema = z.coerce.date({ error: "Not a valid date" });
