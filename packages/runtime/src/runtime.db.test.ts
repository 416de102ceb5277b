import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privacy } from "@ktizo/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "./runtime.ts";
import { DEMO_USERS, seedDemo } from "./seed.ts";
import { loadSettings } from "./settings.ts";

// The runtime as the host builds it, on a fresh embedded database (PostgreSQL pass: TEST_DATABASE_URL).
let runtime: Runtime;
let dataDir: string;
const BASE = "http://127.0.0.1:3999";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "ktizo-runtime-"));
  const settings = loadSettings({
    NODE_ENV: "test",
    KTIZO_DATA_DIR: dataDir,
    BETTER_AUTH_URL: BASE,
    BETTER_AUTH_SECRET: "runtime-test-secret-runtime-test-secret",
  });
  runtime = await createRuntime(settings);
  await seedDemo(runtime.db, runtime.clock);
});
afterAll(async () => {
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(email: string, password: string) {
  const response = await runtime.auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-ktizo-client-ip": "10.1.1.1" },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(response.status).toBe(200);
}

describe("runtime", () => {
  it("names every service's implementation for the start-up log", () => {
    const lines = runtime.describe();
    for (const service of [
      "database",
      "mail",
      "sms",
      "payments",
      "storage",
      "ai",
      "google",
      "analytics",
      "monitoring",
    ]) {
      expect(lines.some((line) => line.startsWith(`${service}:`))).toBe(true);
    }
    expect(lines.join("\n")).not.toContain("every call refused");
  });

  it("records policy acceptance at the first sign-in, once per version", async () => {
    const admin = await runtime.db
      .selectFrom("user")
      .select("id")
      .where("email", "=", DEMO_USERS.admin.email)
      .executeTakeFirstOrThrow();
    await privacy.publishPolicy(runtime.db, runtime.services.mail, runtime.clock, admin.id, {
      kind: "privacy",
      title: "Privacy policy",
      body: "We keep your data while your account is active.",
      effectiveAt: runtime.clock.now(),
    });
    const customer = DEMO_USERS.customer;
    await signIn(customer.email, customer.password);
    await signIn(customer.email, customer.password);
    const rows = await runtime.db
      .selectFrom("policyAcceptance")
      .innerJoin("user", "user.id", "policyAcceptance.userId")
      .select(["policyAcceptance.context"])
      .where("user.email", "=", customer.email)
      .execute();
    expect(rows).toEqual([{ context: "sign-up" }]);
  });
});
