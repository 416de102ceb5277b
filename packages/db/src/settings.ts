import { z } from "zod";

export const dbSettingsSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  KTIZO_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
});
export type DbSettings = z.infer<typeof dbSettingsSchema>;
