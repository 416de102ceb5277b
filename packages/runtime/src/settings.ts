import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { authSettingsSchema } from "@ktizo/auth";
import { dbSettingsSchema } from "@ktizo/db";
import { z } from "zod";

export const appSettingsSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  HOST: z.string().default("127.0.0.1"),
  /** When set, the client IP is read from this proxy header (e.g. x-forwarded-for) instead of the socket. */
  TRUSTED_PROXY_IP_HEADER: z.string().min(1).optional(),
  /**
   * Port of the Prometheus endpoint (`GET /metrics`), apart from the public ports; 0 turns it off.
   * Several `pnpm worker` processes on one machine each need their own port (or 0).
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** pino level: fatal, error, warn, info, debug, trace or silent (default info; warn under test). */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** Seed demo data at start; on by default in development. */
  KTIZO_SEED_DEMO: z.enum(["true", "false"]).optional(),
  /** Where background work runs on PostgreSQL: in the app process, or in separate `pnpm worker` processes. */
  KTIZO_WORKERS: z.enum(["in-process", "external"]).default("in-process"),
  /**
   * How long a slicing claim may stay unfinished before another worker takes the upload over (a worker
   * killed mid-slice). Default 10 minutes, well past the slicer's own 2-minute timeout.
   */
  KTIZO_SLICE_STALE_AFTER_MS: z.coerce.number().int().min(1_000).max(86_400_000).optional(),
  /** Largest model a marketplace visitor may upload, in megabytes (the quote engine's ceiling is 500). */
  MARKETPLACE_MAX_UPLOAD_MB: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ message: "must be a whole number of megabytes (1-500)" })
      .int("must be a whole number of megabytes (1-500)")
      .min(1, "must be a whole number of megabytes (1-500)")
      .max(500, "must be a whole number of megabytes (1-500)")
      .default(100),
  ),
});

export type AppSettings = z.infer<typeof appSettingsSchema>;

export interface Settings {
  app: AppSettings;
  db: z.infer<typeof dbSettingsSchema>;
  auth: z.infer<typeof authSettingsSchema>;
  /** The raw environment, for the service settings parsed by @ktizo/services. */
  env: Record<string, string | undefined>;
}

export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Settings required in production that development fills in itself. */
const REQUIRED_IN_PRODUCTION = ["BETTER_AUTH_SECRET", "BETTER_AUTH_URL"] as const;

/**
 * Reads and validates every setting once at start-up. A missing or malformed setting stops the start
 * with a message naming it. In development the auth secret is generated once and kept under the data dir.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const app = parse(appSettingsSchema, env);
  const db = parse(dbSettingsSchema, env);
  const filled = { ...env };
  if (app.NODE_ENV === "production") {
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new SettingsError(`Missing required settings for production: ${missing.join(", ")}`);
    }
  } else {
    filled.BETTER_AUTH_SECRET ??= developmentSecret(db.KTIZO_DATA_DIR);
    filled.BETTER_AUTH_URL ??= `http://localhost:${app.PORT}`;
    filled.AUTH_TRUSTED_ORIGINS ??= `http://localhost:${app.ADMIN_PORT},http://127.0.0.1:${app.ADMIN_PORT},http://127.0.0.1:${app.PORT}`;
  }
  const auth = parse(authSettingsSchema, { ...filled, NODE_ENV: app.NODE_ENV });
  return { app, db, auth, env: filled };
}

function parse<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(settings)"}: ${i.message}`);
  throw new SettingsError(`Invalid settings:\n  ${problems.join("\n  ")}`);
}

/** A secret generated on first start and kept in `<dataDir>/auth-secret`, so sessions survive restarts. */
function developmentSecret(dataDir: string): string {
  const dir = resolve(dataDir);
  const file = join(dir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
