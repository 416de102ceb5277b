import { describe, expect, it } from "vitest";
import { MAX_FRAME_HEIGHT, parseEmbedMessage, SHOP_SLUG } from "../src/protocol.ts";

describe("embed messages", () => {
  it.each([
    [null, null],
    ["ktizo:resize", null],
    [{ type: "ktizo:resize", height: "tall" }, null],
    [{ type: "ktizo:resize", height: -1 }, null],
    [
      { type: "ktizo:resize", height: 320 },
      { type: "ktizo:resize", height: 320 },
    ],
    [
      { type: "ktizo:resize", height: 1e9 },
      { type: "ktizo:resize", height: MAX_FRAME_HEIGHT },
    ],
    [{ type: "ktizo:quote-ready" }, null],
    [{ type: "something-else", height: 3 }, null],
  ])("parses %j as %j", (input, expected) => {
    expect(parseEmbedMessage(input)).toEqual(expected);
  });

  it("accepts URL-safe shop ids only", () => {
    expect(SHOP_SLUG.test("northside-print-lab")).toBe(true);
    for (const bad of ["", "-x", "x-", "Bad", "a/b", "a b", "../x"]) expect(SHOP_SLUG.test(bad)).toBe(false);
  });
});
