import type { AppRouter } from "@ktizo/api";
import type { SerializeFrom } from "@remix-run/node";
import type { inferRouterOutputs } from "@trpc/server";

/**
 * What each tRPC procedure answers, inferred from the routers' strict zod `.output()` schemas. Components
 * take their props from here instead of re-declaring the API's shapes (a type-only import: nothing of the
 * server reaches the browser bundle).
 */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** A procedure's answer as a page receives it through its loader: JSON, so dates arrive as strings. */
export type Served<T> = SerializeFrom<T>;
