import { fileURLToPath } from "node:url";

/** The setup file every Vitest config lists (src/stall-watchdog.ts), by absolute path: projects resolve relative ones from their own root. */
export const STALL_WATCHDOG = fileURLToPath(new URL("./src/stall-watchdog.ts", import.meta.url));
