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

/** What `withDates` answers when the value needs superjson's own walker. */
const FALLBACK: unique symbol = Symbol("fallback");

/** superjson's path segment: `.` and `\\` escaped (its `escapeKey`). */
const escapeKey = (key: string) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

/** superjson's annotations of a value: `["Date"]` for a date, inner paths for a container holding dates. */
type Annotations = ["Date"] | Record<string, ["Date"]> | undefined;

/**
 * JSON's own types plus `Date`s, copied with each date as its ISO string. `out.annotations` is set to what
 * superjson's walker records for the value, built the same way level by level (an object per container
 * keyed by escaped paths, so its key order, integer-like keys first, is superjson's too). Anything else
 * (a date twice, an invalid date, the types `isPlainJson` refuses) answers FALLBACK.
 */
function withDates(value: unknown, seen: Seen, out: { annotations: Annotations }): unknown {
  out.annotations = undefined;
  if (value === null) return value;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : FALLBACK;
    case "object":
      break;
    default:
      return FALLBACK;
  }
  const object = value as object;
  if (seen.has(object)) return FALLBACK;
  seen.add(object);
  const proto = Object.getPrototypeOf(object);
  if (proto === Date.prototype) {
    const date = object as Date;
    if (Number.isNaN(date.getTime())) return FALLBACK;
    out.annotations = ["Date"];
    return date.toISOString();
  }
  const isArray = Array.isArray(object);
  if (!isArray && proto !== Object.prototype) return FALLBACK;
  const copy: Record<string, unknown> | unknown[] = isArray ? new Array<unknown>(object.length) : {};
  let inner: Record<string, ["Date"]> | undefined;
  const child = (key: string, item: unknown): boolean => {
    const copied = withDates(item, seen, out);
    if (copied === FALLBACK) return false;
    (copy as Record<string, unknown>)[key] = copied;
    const annotations = out.annotations;
    if (annotations === undefined) return true;
    inner ??= {};
    const prefix = escapeKey(key);
    if (Array.isArray(annotations)) inner[prefix] = annotations;
    else for (const path in annotations) inner[`${prefix}.${path}`] = annotations[path]!;
    return true;
  };
  if (isArray) {
    for (let i = 0; i < object.length; i++)
      if (!(i in object) || !child(String(i), object[i])) return FALLBACK;
  } else {
    for (const key in object) {
      if (!Object.hasOwn(object, key) || FORBIDDEN_KEYS.has(key)) return FALLBACK;
      if (!child(key, (object as Record<string, unknown>)[key])) return FALLBACK;
    }
  }
  out.annotations = inner;
  return copy;
}

/**
 * tRPC's transformer: superjson, the browser client's too. Plain JSON answers (most procedures: no
 * dates, maps or shared references) are passed as superjson would pass them, `{ json: value }`, without
 * its walker, which copies the whole answer and keeps a path per value (seen in the bench:api profile of
 * the quote comparison). Answers whose only other type is `Date` (the job board: three per card) are
 * copied once with their dates' paths, which is what superjson's walker produces at a quarter of its cost;
 * anything else goes through superjson. Same bytes on the wire either way (transformer.test.ts).
 */
export const transformer = {
  serialize(value: unknown): ReturnType<typeof superjson.serialize> {
    if (isPlainJson(value, new Set()))
      return { json: value as ReturnType<typeof superjson.serialize>["json"] };
    const out: { annotations: Annotations } = { annotations: undefined };
    const json = withDates(value, new Set(), out);
    // A top-level date (annotations `["Date"]`) is left to superjson: no procedure answers one.
    if (json === FALLBACK || out.annotations === undefined || Array.isArray(out.annotations))
      return superjson.serialize(value);
    return {
      json: json as ReturnType<typeof superjson.serialize>["json"],
      meta: { values: out.annotations, v: 1 },
    };
  },
  deserialize<T = unknown>(payload: Parameters<typeof superjson.deserialize>[0]): T {
    return superjson.deserialize<T>(payload);
  },
};
