/**
 * The demo data (`@ktizo/api/demo`): the runtime's demo logins and shops, each shop's living workspace and
 * the marketplace's reviews. Above the domains; idempotent, so the host runs it on every start.
 */
export { DEMO_SHOPS, DEMO_USERS, type DemoUserKey, type SeededDemo, seedDemo } from "./seed.ts";
