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
