import { describe, expect, it } from "vitest";
import { actionErrors, errorCode } from "./form-errors.ts";
import { listQuery, pageHref } from "./format.ts";
import { countryOptions, currencyOptions } from "./locale.ts";

describe("actionErrors", () => {
  it("puts zod issues beside their fields, first message per field", () => {
    const error = {
      code: "BAD_REQUEST",
      cause: {
        issues: [
          { path: ["name"], message: "Enter your name" },
          { path: ["name"], message: "second" },
          { path: ["address", "city"], message: "Too long" },
        ],
      },
    };
    expect(actionErrors(error)).toEqual({
      formError: null,
      fieldErrors: { name: "Enter your name", "address.city": "Too long" },
    });
    expect(errorCode(error)).toBe("BAD_REQUEST");
  });

  it("shows a domain error's own message, or its field errors", () => {
    const domain = { name: "DomainError", message: "You are the only owner." };
    expect(actionErrors({ cause: domain })).toEqual({
      formError: "You are the only owner.",
      fieldErrors: {},
    });
    expect(actionErrors({ cause: { ...domain, fieldErrors: { slug: "Taken" } } })).toEqual({
      formError: null,
      fieldErrors: { slug: "Taken" },
    });
  });

  it("never shows an internal error's message", () => {
    expect(actionErrors(new Error("connection refused at 10.0.0.3"), "Try again")).toEqual({
      formError: "Try again",
      fieldErrors: {},
    });
    expect(errorCode("nope")).toBeNull();
  });
});

describe("list query", () => {
  it("reads page and search, falling back to page 1", () => {
    expect(listQuery(new URLSearchParams("page=3&q=ada"))).toEqual({ page: 3, search: "ada" });
    expect(listQuery(new URLSearchParams("page=-2"))).toEqual({ page: 1, search: "" });
    expect(listQuery(new URLSearchParams("page=abc"))).toEqual({ page: 1, search: "" });
  });

  it("keeps the filters when moving to another page", () => {
    expect(pageHref(new URLSearchParams("q=ada&channel=sms&page=1"), 2)).toBe("?q=ada&channel=sms&page=2");
  });
});

describe("country and currency options", () => {
  it("lists countries by English name, without unions or pseudo-regions", () => {
    const countries = countryOptions();
    const codes = new Set(countries.map((c) => c.value));
    expect(countries.find((c) => c.value === "DE")?.label).toBe("Germany");
    for (const code of ["EU", "UN", "ZZ", "XA"]) expect(codes.has(code)).toBe(false);
    expect(countries.length).toBeGreaterThan(240);
    const labels = countries.map((c) => c.label);
    expect([...labels].sort((a, b) => a.localeCompare(b, "en"))).toEqual(labels);
  });

  it("lists ISO currencies with their names", () => {
    expect(currencyOptions().find((c) => c.value === "EUR")?.label).toBe("EUR · Euro");
  });
});

describe("countryOptions", () => {
  it("lists each country once, by its current code", () => {
    const options = countryOptions();
    const labels = options.map((o) => o.label);
    expect(new Set(labels).size).toBe(labels.length);
    const codes = options.map((o) => o.value);
    expect(codes).toContain("GB");
    expect(codes).toContain("DE");
    for (const withdrawn of ["UK", "DD", "SU", "YU", "ZR", "FX"]) expect(codes).not.toContain(withdrawn);
    expect(options.length).toBeGreaterThan(240);
  });
});
