export { DEMO_SHOPS, DEMO_USERS, type SeededDemo, seedDemo } from "@ktizo/api/demo";
export { type BodyKind, bodyKindFor, bodyLimits } from "./body-limit.ts";
export { type AppName, type KtizoLoadContext, startAppServer } from "./host.ts";
export { CROSS_ORIGIN_EXEMPT_PATHS } from "./origin-guard.ts";
export { createApiContext } from "./request-context.ts";
export { createRuntime, type Runtime } from "./runtime.ts";
export { securityHeaders } from "./security-headers.ts";
export { loadSettings, type Settings, SettingsError } from "./settings.ts";
