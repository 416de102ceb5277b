import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { transformer } from "./transformer.ts";

describe("the tRPC transformer", () => {
  const shared = { a: 1 };
  const holes = [1, 2, 3];
  delete holes[1];
  const nullProto = Object.assign(Object.create(null), { a: 1 });
  const cases: Record<string, unknown> = {
    "plain nested data": { items: [{ id: "a", n: 1.5, ok: true, none: null, tags: ["x"] }], total: 1 },
    "a top-level string": "hello",
    "a top-level number": 42,
    "a top-level null": null,
    "a top-level undefined": undefined,
    "an empty object and array": { a: {}, b: [] },
    "a date": { at: new Date("2026-12-06T00:00:00Z") },
    "dates in a board of cards": [
      {
        status: "approved",
        jobs: [
          { id: "a", dueAt: new Date(0), tags: [] },
          { id: "b", dueAt: null },
        ],
      },
      { status: "printing", jobs: [{ id: "c", dueAt: new Date(1), at: { start: new Date(2) } }] },
    ],
    "a date under keys with dots and backslashes": { "a.b": { "c\\d": new Date(3), "": new Date(4) } },
    "a date under integer-like keys": { 2: new Date(5), 1: { 0: new Date(6) }, x: new Date(7) },
    "a date in a top-level array": [new Date(8), "x", new Date(9)],
    "a top-level date": new Date(10),
    "an invalid date": { at: new Date(Number.NaN) },
    "one date object twice": (() => {
      const at = new Date(11);
      return { a: at, b: at };
    })(),
    "a date beside a map": { at: new Date(12), m: new Map([["k", 1]]) },
    "a date beside minus zero": { at: new Date(13), n: -0 },
    "a date beside undefined": { at: new Date(14), u: undefined },
    "an undefined field": { a: 1, b: undefined },
    "undefined in an array": [1, undefined],
    "NaN and infinities": { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: Number.NEGATIVE_INFINITY },
    "minus zero": { a: -0 },
    "a shared reference": { x: shared, y: shared },
    "a shared array": (() => {
      const list = ["a"];
      return [{ list }, { list }];
    })(),
    "a map and a set": { m: new Map([["k", 1]]), s: new Set([1]) },
    "a bigint": { n: 10n },
    "an array with holes": { holes },
    "an object without prototype": { nullProto },
    "a regular expression": { r: /x/g },
    "an error": { e: new Error("boom") },
    "a class instance": {
      c: new (class Point {
        x = 1;
      })(),
    },
  };

  for (const [name, value] of Object.entries(cases)) {
    it(`serializes ${name} exactly as superjson does`, () => {
      const ours = transformer.serialize(value);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(superjson.serialize(value)));
      expect(transformer.deserialize(JSON.parse(JSON.stringify(ours)))).toEqual(
        superjson.deserialize(JSON.parse(JSON.stringify(superjson.serialize(value)))),
      );
    });
  }

  it("serializes generated answers with dates exactly as superjson does", () => {
    // A small deterministic generator: nested objects and arrays of JSON values and dates, with keys that
    // need escaping; every shape must give superjson's bytes.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const keys = ["id", "a.b", "x\\y", "0", "12", "due", ""];
    const generate = (depth: number): unknown => {
      const pick = next();
      if (depth > 3 || pick < 0.25)
        return [null, "s", 1.5, true, new Date(Math.floor(next() * 1e12))][Math.floor(next() * 5)];
      if (pick < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => generate(depth + 1));
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 4); i > 0; i--)
        object[keys[Math.floor(next() * keys.length)]!] = generate(depth + 1);
      return object;
    };
    let withDates = 0;
    for (let i = 0; i < 400; i++) {
      const value = generate(0);
      const theirs = JSON.stringify(superjson.serialize(value));
      if (theirs.includes('"Date"')) withDates++;
      expect(JSON.stringify(transformer.serialize(value))).toBe(theirs);
    }
    expect(withDates).toBeGreaterThan(100);
  });

  it("refuses the keys superjson refuses", () => {
    const polluted = JSON.parse('{"a":{"__proto__":{"x":1}}}');
    expect(() => superjson.serialize(polluted)).toThrow();
    expect(() => transformer.serialize(polluted)).toThrow();
    expect(() => transformer.serialize({ constructor: 1 })).toThrow();
  });

  it("passes plain data through without copying it", () => {
    const value = { items: [{ id: "a" }] };
    expect(transformer.serialize(value).json).toBe(value);
  });
});
