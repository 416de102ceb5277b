import type { Auth } from "@ktizo/auth";
import type { Database, DatabaseKind, OrganizationRole } from "@ktizo/db";
import type { Clock, Services } from "@ktizo/services";

/** Who is calling, read from the session cookie on the server. */
export interface SessionInfo {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  emailVerified: boolean;
  /** "admin" for platform admins. */
  platformRole: string | null;
  activeOrganizationId: string | null;
}

/** What every procedure can use. Built once per request by the host (Remix loader, /api/trpc, tests). */
export interface ApiContext {
  db: Database;
  dbKind: DatabaseKind;
  services: Services;
  clock: Clock;
  auth: Auth;
  session: SessionInfo | null;
  /** The incoming request's headers (forwarded to better-auth for cookie-bound calls). */
  headers: Headers;
  /**
   * The app's public origin (BETTER_AUTH_URL, without a trailing slash): absolute URLs the browser is sent
   * to, such as checkout return pages. Email links stay paths: the mail service makes them absolute.
   */
  baseUrl: string;
  /** The client IP from the host's trusted client-IP header ("unknown" without one); rate limits key on it. */
  clientIp: string;
  /** Cookies better-auth wants set on the response (sign-in, session changes). */
  responseHeaders: Headers;
  /**
   * Reads the procedures of one page view share (`readOnce`): set by the host for a GET page view,
   * whose loaders all run for one response. Absent elsewhere, so every call reads afresh.
   */
  pageReads?: Map<string, Promise<unknown>>;
}

/**
 * The value of `read()` made once per page view (see `ApiContext.pageReads`), or read afresh without one.
 * Only for reads whose answer cannot change within the page view's own loaders; never for a mutation.
 */
export function readOnce<T>(ctx: ApiContext, key: string, read: () => Promise<T>): Promise<T> {
  const reads = ctx.pageReads;
  if (!reads) return read();
  const known = reads.get(key) as Promise<T> | undefined;
  if (known) return known;
  const value = read();
  reads.set(key, value);
  return value;
}

/**
 * Tells the page view's later `readOnce(ctx, key, …)` a value an earlier read already has (a read that
 * returned it alongside other things); a value already read or being read is kept.
 */
export function knowRead<T>(ctx: ApiContext, key: string, value: T): void {
  if (ctx.pageReads && !ctx.pageReads.has(key)) ctx.pageReads.set(key, Promise.resolve(value));
}

/** The page-view read of a member's role in an organization (`orgProcedure`; `account.me` knows it too). */
export const memberRoleRead = (organizationId: string, userId: string) =>
  `member-role:${organizationId}:${userId}`;

export interface OrganizationScope {
  id: string;
  role: OrganizationRole;
  /** Set when a platform admin views the shop under its owner's grant (read-only; see support-view.ts). */
  support?: { grantId: string; grantedByName: string; expiresAt: Date };
}

export const ROLE_RANK: Record<OrganizationRole, number> = { member: 1, admin: 2, owner: 3 };

export function isOrganizationRole(role: string): role is OrganizationRole {
  return role === "owner" || role === "admin" || role === "member";
}
