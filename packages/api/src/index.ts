export * as accountSchemas from "./account/schemas.ts";
export * as adminSchemas from "./admin/schemas.ts";
export type { ApiContext, OrganizationScope, SessionInfo } from "./context.ts";
export { DomainError, type DomainErrorCode } from "./errors.ts";
export * as job from "./job/index.ts";
export * as marketplace from "./marketplace/index.ts";
export { type AppRouter, appRouter, createCaller } from "./root.ts";
export * as shop from "./shop/index.ts";
export type { ProcedureMeta } from "./trpc.ts";
