import superjson from "superjson";

type Seen = Set<object>;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Whether superjson would answer `value` as `{ json: value }` with no meta: JSON's own types only
 * (finite numbers other than -0, strings, booleans, null, arrays without holes, plain objects without
 * undefined values), each object reached once (superjson records shared references) and no key that
 * superjson refuses.
 */
function isPlainJson(value: unknown, seen: Seen): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object":
      break;
    default:
      return false;
  }
  const object = value as object;
  if (seen.has(object)) return false;
  seen.add(object);
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) {
      if (!(i in object) || !isPlainJson(object[i], seen)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(object) !== Object.prototype) return false;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) return false;
    if (FORBIDDEN_KEYS.has(key)) return false;
    if (!isPlainJson((object as Record<string, unknown>)[key], seen)) return false;
  }
  return true;
}

/**
 * tRPC's transformer: superjson, the browser client's too. Plain JSON answers (most procedures: no
 * dates, maps or shared references) are passed as superjson would pass them, `{ json: value }`, without
 * its walker, which copies the whole answer and keeps a path per value (seen in the bench:api profile of
 * the quote comparison); anything else goes through superjson. Same bytes on the wire either way
 * (transformer.test.ts).
 */
export const transformer = {
  serialize(value: unknown): ReturnType<typeof superjson.serialize> {
    if (isPlainJson(value, new Set()))
      return { json: value as ReturnType<typeof superjson.serialize>["json"] };
    return superjson.serialize(value);
  },
  deserialize<T = unknown>(payload: Parameters<typeof superjson.deserialize>[0]): T {
    return superjson.deserialize<T>(payload);
  },
};
