import { z } from "zod";

export const authSettingsSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** The public URL of the web app, e.g. https://ktizo.example. */
  BETTER_AUTH_URL: z.url(),
  /** Other origins allowed to call the auth API (the admin console), comma-separated. */
  AUTH_TRUSTED_ORIGINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  /** The header holding the client IP. The host sets it from the socket unless a proxy header is trusted. */
  CLIENT_IP_HEADER: z.string().default("x-ktizo-client-ip"),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
});
export type AuthSettings = z.infer<typeof authSettingsSchema>;
