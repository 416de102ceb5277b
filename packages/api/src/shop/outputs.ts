import { z } from "zod";
import type { MaterialView } from "./materials.ts";
import type { ShopProfile } from "./profile.ts";

/**
 * What the shop router's profile and materials procedures answer, validated on the way out (tRPC
 * `.output`, strict: a field the type does not name is refused, so nothing extra leaks to the browser).
 */
const technology = z.enum(["fdm", "resin", "powder"]);

export const materialOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    technology,
    colors: z.array(z.string()),
    finishes: z.array(z.string()),
    densityGramsPerCm3: z.number().positive(),
    costPerKgMinor: z.number().int().min(0),
    filamentDiameterMm: z.number().positive(),
    printTemperatureC: z.number().int().nullable(),
    bedTemperatureC: z.number().int().nullable(),
    onHandG: z.number().int().min(0),
    reservedG: z.number().int().min(0),
    availableG: z.number().int(),
    reorderThresholdG: z.number().int().min(0),
    lowStock: z.boolean(),
    printerIds: z.array(z.string()),
    archivedAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .strict() satisfies z.ZodType<MaterialView>;

export const materialsOutput = z.array(materialOutput);

export const shopProfileOutput = z
  .object({
    organizationId: z.string(),
    name: z.string(),
    slug: z.string(),
    companyName: z.string(),
    description: z.string(),
    logo: z.string().nullable(),
    contactEmail: z.string().nullable(),
    phone: z.string().nullable(),
    address: z
      .object({
        line1: z.string().nullable(),
        line2: z.string().nullable(),
        city: z.string().nullable(),
        postalCode: z.string().nullable(),
        region: z.string().nullable(),
      })
      .strict(),
    country: z.string().regex(/^[A-Z]{2}$/),
    currency: z.string().regex(/^[A-Z]{3}$/),
    timezone: z.string(),
    technologies: z.array(technology),
    standardLeadDays: z.number().int().min(0),
    rushLeadDays: z.number().int().min(0).nullable(),
    shippingOptions: z.array(
      z.object({
        name: z.string(),
        priceMinor: z.number().int().min(0),
        days: z.number().int().nullable(),
        countries: z.array(z.string()).optional(),
      }),
    ),
    listed: z.boolean(),
    updatedAt: z.date(),
  })
  .strict() satisfies z.ZodType<ShopProfile>;
