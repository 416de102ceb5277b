/**
 * The kernel: what every domain shares (actors, executor, context, errors, rate limits, pagination, input
 * schemas, links). It imports no domain; domains import it through this file. Ids and audit rows come
 * from `@ktizo/db` (`newId`, `recordAudit`), time from the injected clock (`ctx.clock`, `Clock`).
 */
export type { MemberActor, OrgActor, UserActor } from "./actors.ts";
export {
  type ApiContext,
  isOrganizationRole,
  knowRead,
  memberRoleRead,
  type OrganizationScope,
  ROLE_RANK,
  readOnce,
  type SessionInfo,
} from "./context.ts";
export type { CustomerNotice, CustomerNotifier, CustomerNotifying } from "./customer-notifier.ts";
export {
  badRequest,
  conflict,
  DomainError,
  type DomainErrorCode,
  forbidden,
  isUniqueViolation,
  notFound,
  preconditionFailed,
} from "./errors.ts";
export { type Executor, inTransaction } from "./executor.ts";
export {
  likePattern,
  type Page,
  type Pagination,
  pageRows,
  paginationSchema,
  searchSchema,
  toPage,
} from "./pagination.ts";
export { shopCountry, toE164 } from "./phone.ts";
export {
  enforceRateLimit,
  hitRateLimit,
  RATE_LIMITS,
  type RateLimitName,
  type RateLimitResult,
  rateLimitKey,
} from "./rate-limit.ts";
export { currencySchema, dateInputSchema, idSchema, minorAmountSchema, technologySchema } from "./schemas.ts";
export {
  SUPPORT_VIEW_READ_ONLY,
  type SupportView,
  type SupportViewState,
  supportViewOf,
} from "./support-view.ts";
