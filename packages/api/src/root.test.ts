import type { AnyRouter } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { globalRegistry, type z } from "zod";
import { appRouter } from "./root.ts";
import { listProcedures } from "./testing/access.ts";

/** The output schema of every procedure, by path (undefined where a procedure has none). */
function outputSchemas(router: AnyRouter): Map<string, z.ZodType | undefined> {
  const procedures = router._def.procedures as Record<string, { _def: { output?: z.ZodType } }>;
  return new Map(Object.entries(procedures).map(([path, p]) => [path, p._def.output]));
}

/** Paths inside a zod schema where an object is not strict (it would pass unknown keys through or strip them). */
function looseObjects(schema: z.ZodType, at = "$"): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (key: string) => def[key] as z.ZodType;
  switch (def.type) {
    case "object": {
      const catchall = def.catchall as z.ZodType | undefined;
      // Strict, or read back from a JSON column and marked so (`storedJson`: unknown keys dropped).
      const stored = (globalRegistry.get(schema) as { storedJson?: boolean } | undefined)?.storedJson;
      const own = catchall?._zod.def.type === "never" || stored === true ? [] : [at];
      const shape = def.shape as Record<string, z.ZodType>;
      return [...own, ...Object.entries(shape).flatMap(([k, v]) => looseObjects(v, `${at}.${k}`))];
    }
    case "array":
      return looseObjects(inner("element"), `${at}[]`);
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
    case "nonoptional":
      return looseObjects(inner("innerType"), at);
    case "union":
      return (def.options as z.ZodType[]).flatMap((o, i) => looseObjects(o, `${at}|${i}`));
    case "record":
      return looseObjects(inner("valueType"), `${at}{}`);
    case "tuple":
      return (def.items as z.ZodType[]).flatMap((o, i) => looseObjects(o, `${at}[${i}]`));
    case "pipe":
      return [...looseObjects(inner("in"), at), ...looseObjects(inner("out"), at)];
    default:
      return [];
  }
}

describe("app router", () => {
  it("declares an access tier on every procedure", () => {
    const missing = listProcedures(appRouter).filter((p) => p.access === undefined);
    expect(missing).toEqual([]);
  });

  it("declares a strict output schema on every procedure, so no column leaks by accident", () => {
    const schemas = outputSchemas(appRouter);
    expect(schemas.size).toBe(listProcedures(appRouter).length);
    const without = [...schemas].filter(([, schema]) => schema === undefined).map(([path]) => path);
    expect(without).toEqual([]);
    const loose = [...schemas].flatMap(([path, schema]) =>
      schema ? looseObjects(schema).map((at) => `${path}: ${at}`) : [],
    );
    expect(loose).toEqual([]);
  });

  it("finds a missing or loose output schema (the check itself can fail)", async () => {
    const { z } = await import("zod");
    const { publicProcedure, router } = await import("./trpc.ts");
    const sample = router({
      none: publicProcedure.query(() => 1),
      loose: publicProcedure
        .output(z.array(z.object({ a: z.object({ b: z.number() }).strict() })))
        .query(() => []),
    });
    const schemas = outputSchemas(sample);
    expect(schemas.get("none")).toBeUndefined();
    expect(looseObjects(schemas.get("loose")!)).toEqual(["$[]"]);
  });
});
