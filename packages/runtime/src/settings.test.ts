import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { authSettingsSchema } from "@ktizo/auth";
import { dbSettingsSchema } from "@ktizo/db";
import { servicesSettingsSchema } from "@ktizo/services";
import { describe, expect, it } from "vitest";
import { appSettingsSchema, loadSettings, SettingsError } from "./settings.ts";

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../README.md"), "utf8");

describe("settings", () => {
  it("lists every setting of every package in the README table", () => {
    const names = [appSettingsSchema, dbSettingsSchema, authSettingsSchema, servicesSettingsSchema].flatMap(
      (schema) => Object.keys(schema.shape),
    );
    const documented = new Set([...readme.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]));
    const slashed = [...readme.matchAll(/^\| `([A-Z_]+)` \/ `([A-Z_]+)`(?: \/ `([A-Z_]+)`)?/gm)].flatMap(
      (m) => m.slice(1).filter(Boolean),
    );
    for (const name of slashed) documented.add(name);
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("refuses a production start without the required settings, naming each", () => {
    expect(() => loadSettings({ NODE_ENV: "production" })).toThrow(SettingsError);
    expect(() => loadSettings({ NODE_ENV: "production" })).toThrow(/BETTER_AUTH_SECRET, BETTER_AUTH_URL/);
  });

  it("names a malformed setting", () => {
    expect(() =>
      loadSettings({ NODE_ENV: "development", PORT: "eighty", KTIZO_DATA_DIR: "/tmp/ktizo-settings" }),
    ).toThrow(/PORT/);
    expect(() =>
      loadSettings({
        NODE_ENV: "development",
        DATABASE_URL: "mysql://x",
        KTIZO_DATA_DIR: "/tmp/ktizo-settings",
      }),
    ).toThrow(/DATABASE_URL/);
  });

  it("validates the marketplace upload limit (default 100 MB, whole megabytes 1-500)", () => {
    const base = { NODE_ENV: "development", KTIZO_DATA_DIR: "/tmp/ktizo-settings" } as const;
    expect(loadSettings(base).app.MARKETPLACE_MAX_UPLOAD_MB).toBe(100);
    expect(loadSettings({ ...base, MARKETPLACE_MAX_UPLOAD_MB: "" }).app.MARKETPLACE_MAX_UPLOAD_MB).toBe(100);
    expect(loadSettings({ ...base, MARKETPLACE_MAX_UPLOAD_MB: "25" }).app.MARKETPLACE_MAX_UPLOAD_MB).toBe(25);
    for (const bad of ["0", "501", "12.5", "lots"]) {
      expect(() => loadSettings({ ...base, MARKETPLACE_MAX_UPLOAD_MB: bad })).toThrow(
        /MARKETPLACE_MAX_UPLOAD_MB: must be a whole number of megabytes/,
      );
    }
  });

  it("fills development defaults and keeps the generated secret across starts", () => {
    const dir = `/tmp/ktizo-settings-${process.pid}`;
    const first = loadSettings({ NODE_ENV: "development", KTIZO_DATA_DIR: dir, PORT: "4100" });
    const second = loadSettings({ NODE_ENV: "development", KTIZO_DATA_DIR: dir, PORT: "4100" });
    expect(first.auth.BETTER_AUTH_URL).toBe("http://localhost:4100");
    expect(first.auth.BETTER_AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(second.auth.BETTER_AUTH_SECRET).toBe(first.auth.BETTER_AUTH_SECRET);
  });
});
