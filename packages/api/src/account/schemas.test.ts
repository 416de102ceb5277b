import { describe, expect, it } from "vitest";
import {
  businessDetailsSchema,
  countrySchema,
  createOrganizationInput,
  currencySchema,
  inviteMemberInput,
  slugSchema,
  updateProfileInput,
} from "./schemas.ts";
import { slugBase } from "./slug.ts";

const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe("account schemas", () => {
  it("accepts real ISO-2 countries and refuses unions, pseudo-regions and unknown codes", () => {
    expect(countrySchema.parse(" de ")).toBe("DE");
    expect(countrySchema.parse("XK")).toBe("XK");
    for (const code of ["EU", "UN", "ZZ", "XX", "USA", "1A", "", "UK", "DD", "SU"]) {
      expect(countrySchema.safeParse(code).success, code).toBe(false);
    }
  });

  it("accepts ISO-4217 currencies only", () => {
    expect(currencySchema.parse("eur")).toBe("EUR");
    expect(firstMessage(currencySchema.safeParse("ABC"))).toMatch(/Choose a currency/);
  });

  it("validates slugs: pattern, length and reserved words", () => {
    expect(slugSchema.parse("Acme-Prints")).toBe("acme-prints");
    for (const bad of ["ab", "-abc", "abc-", "a_b_c", "a".repeat(49), "café"]) {
      expect(slugSchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(slugSchema.parse("a".repeat(48))).toHaveLength(48);
    for (const reserved of ["admin", "api", "embed", "app", "www", "account", "shops", "new"]) {
      expect(firstMessage(slugSchema.safeParse(reserved))).toBe("This address is reserved; choose another");
    }
  });

  it("generates slug bases that always pass the slug schema", () => {
    expect(slugBase("Café Müller 3D")).toBe("cafe-muller-3d");
    expect(slugBase("  --Admin--  ")).toBe("admin-shop");
    expect(slugBase("🙂")).toBe("organization");
    expect(slugBase("A")).toBe("a-shop");
    for (const name of ["Café Müller 3D", "admin", "🙂", "A", "x".repeat(300), "New", "a - - b"]) {
      expect(slugSchema.safeParse(slugBase(name)).success, name).toBe(true);
    }
  });

  it("trims names, limits them to 100 characters and needs a country", () => {
    expect(updateProfileInput.parse({ name: "  Ada  ", country: "gb" })).toEqual({
      name: "Ada",
      country: "GB",
    });
    expect(firstMessage(updateProfileInput.safeParse({ name: "   ", country: "GB" }))).toBe(
      "Enter your name",
    );
    expect(updateProfileInput.safeParse({ name: "x".repeat(101), country: "GB" }).success).toBe(false);
  });

  it("treats an empty slug as 'generate one' and blank optional details as null", () => {
    const parsed = createOrganizationInput.parse({
      name: "Acme",
      slug: "",
      companyName: "Acme Ltd",
      phone: "",
      country: "us",
      currency: "usd",
    });
    expect(parsed.slug).toBeUndefined();
    expect(parsed.phone).toBeNull();
    expect(parsed.addressLine1).toBeNull();
    expect(businessDetailsSchema.safeParse({ ...parsed, phone: "call me" }).success).toBe(false);
  });

  it("normalizes invitation emails and keeps owner out of invitations", () => {
    expect(inviteMemberInput.parse({ email: " Bob@Example.COM " })).toEqual({
      email: "bob@example.com",
      role: "member",
    });
    expect(inviteMemberInput.safeParse({ email: "bob@example.com", role: "owner" }).success).toBe(false);
  });
});
