import { readFile } from "node:fs/promises";
import * as consent from "@ktizo/services/consent";
import { describe, expect, it } from "vitest";

describe("@ktizo/services/consent", () => {
  it("reads the choice from a Cookie header: accepted, rejected, or not asked", () => {
    expect(consent.readConsent(undefined)).toBeNull();
    expect(consent.readConsent("ktizo-theme=dark")).toBeNull();
    expect(consent.readConsent("ktizo-theme=dark; ktizo_consent=accepted")).toBe(true);
    expect(consent.readConsent("ktizo_consent=rejected; ktizo.session_token=x")).toBe(false);
    expect(consent.readConsent("ktizo_consent=maybe")).toBeNull();
    expect(consent.readConsent("not_ktizo_consent=accepted")).toBeNull();
  });

  it("writes an HttpOnly cookie that holds only the choice, Secure in production", () => {
    expect(consent.consentCookie("rejected", { secure: false })).toBe(
      "ktizo_consent=rejected; Path=/; Max-Age=15724800; SameSite=Lax; HttpOnly",
    );
    // Over HTTPS the name carries the __Host- prefix (Secure, Path=/, no Domain), and is read back.
    const secure = consent.consentCookie("accepted", { secure: true });
    expect(secure).toMatch(/^__Host-ktizo_consent=accepted; Path=\/;.*; Secure$/);
    expect(secure).not.toMatch(/Domain=/i);
    expect(consent.readConsent(secure.split(";")[0])).toBe(true);
    expect(consent.isConsentChoice("accepted")).toBe(true);
    expect(consent.isConsentChoice("yes")).toBe(false);
  });

  it("imports nothing, so the browser bundle and the API share it", async () => {
    const source = await readFile(new URL("./consent.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*import\s/m);
  });
});
