export { type AppName, type KtizoLoadContext, startAppServer } from "./host.ts";
export { createApiContext } from "./request-context.ts";
export { createRuntime, type Runtime } from "./runtime.ts";
export { securityHeaders } from "./security-headers.ts";
export { DEMO_SHOPS, DEMO_USERS, type SeededDemo, seedDemo } from "./seed.ts";
export { loadSettings, type Settings, SettingsError } from "./settings.ts";
