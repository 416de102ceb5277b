import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.ts";

describe("CSV", () => {
  it("quotes commas, quotes and newlines", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T03:04:05.000Z");
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    for (const evil of ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=1"]) {
      expect(csvCell(evil).replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell(-5)).toBe("-5");
  });

  it("leaves plain phone numbers and negative numbers as typed", () => {
    expect(csvCell("+1 503 555 0142")).toBe("+1 503 555 0142");
    expect(csvCell("+4930555012")).toBe("+4930555012");
    expect(csvCell("-12.50")).toBe("-12.50");
    // Arithmetic a spreadsheet would compute keeps its quote.
    for (const computed of ["+1-503-555-0142", "-2-3", "+1+1", "-1.2.3"]) {
      expect(csvCell(computed).replace(/^"/, "").startsWith("'"), computed).toBe(true);
    }
  });

  it("joins rows with CRLF and ends with one", () => {
    expect(toCsv(["a", "b"], [[1, "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});
