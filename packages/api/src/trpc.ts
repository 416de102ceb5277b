import type { OrganizationRole } from "@ktizo/db";
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  type ApiContext,
  DomainError,
  isOrganizationRole,
  memberRoleRead,
  type OrganizationScope,
  ROLE_RANK,
  readOnce,
  SUPPORT_VIEW_READ_ONLY,
  supportViewOf,
} from "./kernel/index.ts";
import { transformer } from "./transformer.ts";

/**
 * Access tiers. `access` is read by the access tests, which enumerate every procedure: a procedure
 * without a tier, or whose tier is not enforced, fails the suite.
 */
export interface ProcedureMeta {
  access: "public" | "signedIn" | `org:${OrganizationRole}` | "platformAdmin";
}

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const fieldErrors =
        cause instanceof z.ZodError
          ? Object.fromEntries(cause.issues.map((i) => [i.path.join("."), i.message]))
          : cause instanceof DomainError
            ? (cause.fieldErrors ?? null)
            : null;
      return {
        ...shape,
        // Internal errors never leak their message or stack to the browser.
        message: error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on our side" : shape.message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, fieldErrors },
      };
    },
  });

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

/** Maps domain errors to tRPC codes: the one place that does it. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

const base = t.procedure.use(mapDomainErrors);

export const publicProcedure = base.meta({ access: "public" });

export const signedInProcedure = base.meta({ access: "signedIn" }).use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in" });
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/**
 * Members of the caller's active organization with at least `minRole`. The organization id comes from
 * the session, never from input; a non-member gets NOT_FOUND, a member without the role FORBIDDEN, and
 * a signed-out caller FORBIDDEN too (organization data is never for anonymous callers; the browser only
 * calls signed-in and public procedures over /api/trpc, and pages redirect to sign-in before calling).
 * A platform admin whose session opened a shop's support view (kernel/support-view.ts) acts in that
 * shop with the admin role for reads only: every mutation is FORBIDDEN, and once the owner's grant has
 * expired or been revoked every organization procedure answers NOT_FOUND.
 */
export function orgProcedure(minRole: OrganizationRole) {
  return base.meta({ access: `org:${minRole}` }).use(async ({ ctx, next, type }) => {
    if (!ctx.session) throw new TRPCError({ code: "FORBIDDEN", message: "Sign in as a member of the shop" });
    if (ctx.session.platformRole === "admin") {
      // A platform admin in a shop's support view acts in that shop, read-only, while the grant lives.
      const support = await supportViewOf(ctx.db, ctx.session.sessionId, ctx.clock.now());
      if (support && "ended" in support) {
        throw new TRPCError({ code: "NOT_FOUND", message: "Support access to this shop has ended" });
      }
      if (support) {
        if (type !== "query") throw new TRPCError({ code: "FORBIDDEN", message: SUPPORT_VIEW_READ_ONLY });
        const { grantId, grantedByName, expiresAt } = support.live;
        // Reads as the shop's admins see it; owner-only reads stay with the owners.
        if (ROLE_RANK.admin < ROLE_RANK[minRole]) {
          throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${minRole} role` });
        }
        const org: OrganizationScope = {
          id: support.live.organizationId,
          role: "admin",
          support: { grantId, grantedByName, expiresAt },
        };
        return next({ ctx: { ...ctx, session: ctx.session, org } });
      }
    }
    const organizationId = ctx.session.activeOrganizationId;
    if (!organizationId) throw new TRPCError({ code: "NOT_FOUND", message: "Choose an organization first" });
    const userId = ctx.session.userId;
    const readRole = () =>
      ctx.db
        .selectFrom("member")
        .select("role")
        .where("organizationId", "=", organizationId)
        .where("userId", "=", userId)
        .executeTakeFirst();
    // A page view's queries (its loaders) read the role once; a mutation always reads it afresh.
    const membership = await (type === "query"
      ? readOnce(ctx, memberRoleRead(organizationId, userId), readRole)
      : readRole());
    if (!membership || !isOrganizationRole(membership.role)) {
      throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found" });
    }
    if (ROLE_RANK[membership.role] < ROLE_RANK[minRole]) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${minRole} role` });
    }
    const org: OrganizationScope = { id: organizationId, role: membership.role };
    return next({ ctx: { ...ctx, session: ctx.session, org } });
  });
}

/** Platform admins only; everyone else is told the procedure does not exist. */
export const platformAdminProcedure = base.meta({ access: "platformAdmin" }).use(({ ctx, next }) => {
  if (ctx.session?.platformRole !== "admin") {
    throw new TRPCError({ code: "NOT_FOUND", message: "Not found" });
  }
  return next({ ctx: { ...ctx, session: ctx.session } });
});
