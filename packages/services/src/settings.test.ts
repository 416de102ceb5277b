import { describe, expect, it } from "vitest";
import {
  describeSettings,
  parseServicesSettings,
  SettingsError,
  servicesSettingsSchema,
} from "./settings.ts";

function problem(input: Record<string, string>): SettingsError {
  try {
    parseServicesSettings(input);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error("expected a SettingsError");
}

describe("service settings", () => {
  it("needs nothing: every service falls back to its stand-in", () => {
    const settings = parseServicesSettings({});
    expect(settings).toMatchObject({
      KTIZO_DATA_DIR: ".data",
      STRIPE_PLATFORM_FEE_BPS: 0,
      ANTHROPIC_MODEL: "claude-sonnet-5-5",
      POSTHOG_HOST: "https://eu.i.posthog.com",
    });
    expect(settings.STRIPE_SECRET_KEY).toBeUndefined();
  });

  it("treats empty values as unset", () => {
    const settings = parseServicesSettings({
      SMTP_URL: "",
      STRIPE_SECRET_KEY: "  ",
      STRIPE_PLATFORM_FEE_BPS: "",
    });
    expect(settings.SMTP_URL).toBeUndefined();
    expect(settings.STRIPE_SECRET_KEY).toBeUndefined();
    expect(settings.STRIPE_PLATFORM_FEE_BPS).toBe(0);
  });

  it("accepts a complete real configuration", () => {
    const settings = parseServicesSettings({
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
      TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "token",
      TWILIO_FROM: "+15005550006",
      STRIPE_SECRET_KEY: "sk_live_abc123",
      STRIPE_WEBHOOK_SECRET: "whsec_abc123",
      STRIPE_PLATFORM_FEE_BPS: "750",
      GOOGLE_CLIENT_ID: "id",
      GOOGLE_CLIENT_SECRET: "secret",
      BETTER_AUTH_SECRET: "x".repeat(32),
      POSTHOG_KEY: "phc_x",
      ANALYTICS_ID_SECRET: "y".repeat(32),
    });
    expect(settings.STRIPE_PLATFORM_FEE_BPS).toBe(750);
  });

  it.each([
    [{ STRIPE_SECRET_KEY: "pk_test_123" }, "STRIPE_SECRET_KEY"],
    [{ STRIPE_SECRET_KEY: "sk_test_123" }, "STRIPE_WEBHOOK_SECRET"],
    [{ STRIPE_PLATFORM_FEE_BPS: "12.5" }, "STRIPE_PLATFORM_FEE_BPS"],
    [{ STRIPE_PLATFORM_FEE_BPS: "20000" }, "STRIPE_PLATFORM_FEE_BPS"],
    [{ SMTP_URL: "http://mail.example.com" }, "SMTP_URL"],
    [{ TWILIO_ACCOUNT_SID: "AC123" }, "TWILIO_ACCOUNT_SID"],
    [{ TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}` }, "TWILIO_AUTH_TOKEN"],
    [
      { TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}`, TWILIO_AUTH_TOKEN: "t", TWILIO_FROM: "0790" },
      "TWILIO_FROM",
    ],
    [{ GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "s" }, "BETTER_AUTH_SECRET"],
    [{ POSTHOG_KEY: "phc_x" }, "ANALYTICS_ID_SECRET"],
    [{ POSTHOG_HOST: "not a url" }, "POSTHOG_HOST"],
    [{ ANALYTICS_ID_SECRET: "short" }, "ANALYTICS_ID_SECRET"],
  ])("refuses %j naming %s", (input, setting) => {
    const error = problem(input);
    expect(error.problems.map((p) => p.setting)).toContain(setting);
    expect(error.message).toContain(setting);
  });

  it("never echoes a secret value in the error", () => {
    const error = problem({ STRIPE_SECRET_KEY: "pk_live_verysecretvalue" });
    expect(error.message).not.toContain("verysecretvalue");
  });

  it("describes every setting exactly once", () => {
    const described = describeSettings().map((d) => d.name);
    expect(new Set(described).size).toBe(described.length);
    expect([...described].sort()).toEqual(Object.keys(servicesSettingsSchema.shape).sort());
  });
});

describe("README", () => {
  it("lists every setting", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    for (const { name } of describeSettings()) expect(readme).toContain(`\`${name}\``);
  });
});
