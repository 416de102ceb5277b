import { describe, expect, it } from "vitest";
import { formatPrintTime } from "./format";

describe("formatPrintTime", () => {
  it("shows a sliced print time as hours and minutes", () => {
    expect(formatPrintTime(4568)).toBe("1 h 16 min");
    expect(formatPrintTime(45 * 60)).toBe("45 min");
    expect(formatPrintTime(2 * 3600)).toBe("2 h 0 min");
  });
});
