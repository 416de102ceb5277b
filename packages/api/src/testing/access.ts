import { type AnyRouter, TRPCError } from "@trpc/server";
import type { ProcedureMeta } from "../trpc.ts";

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  access: ProcedureMeta["access"] | undefined;
}

/** Every procedure of a router, flattened ("shop.printers.create"), with its declared access tier. */
export function listProcedures(router: AnyRouter, prefix = ""): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<
    string,
    { _def: { type: ProcedureInfo["type"]; meta?: ProcedureMeta } }
  >;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({
      path: prefix ? `${prefix}.${path}` : path,
      type: procedure._def.type,
      access: procedure._def.meta?.access,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The paths of `router` that an access test does not cover. Access tests call this with the paths
 * their tables cover and expect an empty list, so a new procedure without an access case fails.
 */
export function uncoveredProcedures(router: AnyRouter, covered: Iterable<string>, prefix = ""): string[] {
  const seen = new Set(covered);
  return listProcedures(router, prefix)
    .map((p) => p.path)
    .filter((path) => !seen.has(path));
}

/** How a call ends: "OK", or the tRPC error code it is refused with (any other error as text). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}
