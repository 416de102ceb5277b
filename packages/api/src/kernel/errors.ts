/**
 * Errors that domain functions throw. They say what went wrong in the domain's words; trpc.ts maps
 * them to tRPC codes in one place. Another organization's or customer's object is always NOT_FOUND.
 */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS";

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Per-field messages, shown beside form fields. */
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = "Not found") => new DomainError("NOT_FOUND", what);
export const forbidden = (why = "You do not have permission to do that") => new DomainError("FORBIDDEN", why);
export const conflict = (why: string, fieldErrors?: Record<string, string>) =>
  new DomainError("CONFLICT", why, fieldErrors);
export const badRequest = (why: string, fieldErrors?: Record<string, string>) =>
  new DomainError("BAD_REQUEST", why, fieldErrors);
export const preconditionFailed = (why: string) => new DomainError("PRECONDITION_FAILED", why);

/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== "23505") return false;
  if (!constraint) return true;
  return e.constraint === constraint || (typeof e.message === "string" && e.message.includes(constraint));
}
