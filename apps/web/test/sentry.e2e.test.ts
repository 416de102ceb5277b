import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { browserUnavailableReason, requireOrSkip } from "@ktizo/testing";
import { afterAll, describe, expect, it } from "vitest";
import { browserWorld } from "./browser-steps.ts";

const runnable = requireOrSkip(
  "Sentry error report tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

// Live-looking secrets are assembled at run time so no key-shaped literal sits in the source.
const SECRETS = {
  stripeKey: `${["sk", "live", ""].join("_")}51HqLyjWDarjtT1zdp7dcXYZabcdefghij`,
  jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  bearer: "abcdef0123456789abcdef0123456789",
  password: "correct horse battery staple",
  card: "4242 4242 4242 4242",
  phone: "+44 7911 123456",
  plantedCookie: "planted_cookie_value_5b4a39281706",
};

/** A loopback Sentry: records every envelope the SDKs send (server and browser). */
async function startLoopbackSentry() {
  const envelopes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const gz = req.headers["content-encoding"] === "gzip" || (body[0] === 0x1f && body[1] === 0x8b);
      if ((req.url ?? "").includes("/envelope")) {
        envelopes.push(gz ? gunzipSync(body).toString("utf8") : body.toString("utf8"));
      }
      // The browser SDK posts cross-origin.
      res.writeHead(200, {
        "content-type": "application/json",
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "*",
      });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/1`,
    origin: `http://127.0.0.1:${port}`,
    envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.runIf(runnable)("error reports from the built web app reach Sentry scrubbed (P15)", () => {
  let sentry: Awaited<ReturnType<typeof startLoopbackSentry>>;
  const world = browserWorld(async () => {
    sentry = await startLoopbackSentry();
    return { SENTRY_DSN: sentry.dsn };
  });
  afterAll(async () => {
    await sentry?.close();
  });

  it("a failing action's error arrives without any planted secret; the DSN is the only Sentry setting in the page", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.customer);
    const session = (await context.cookies()).find((c) => c.name === "ktizo.session_token");
    expect(session?.value).toBeTruthy();

    // The browser learns the DSN and nothing else about error reporting; its CSP allows only that origin.
    const response = await page.goto(`${world.host.webUrl}/account/privacy`);
    expect(response?.headers()["content-security-policy"]).toContain(`connect-src 'self' ${sentry.origin}`);
    expect(await page.locator('meta[name="ktizo-sentry-dsn"]').getAttribute("content")).toBe(sentry.dsn);
    const html = await page.content();
    expect(html).not.toContain("e2e-secret-e2e-secret");

    // A real failure inside the action: the table behind the privacy settings is gone.
    await world.host.runtime.db.schema
      .alterTable("privacy_settings")
      .renameTo("privacy_settings_moved")
      .execute();
    try {
      const form = new URLSearchParams({
        intent: "settings",
        analytics: "on",
        password: SECRETS.password,
        card_number: SECRETS.card,
        phone: SECRETS.phone,
        note: `key ${SECRETS.stripeKey}`,
      });
      const failed = await fetch(
        `${world.host.webUrl}/account/privacy?token=${SECRETS.jwt}&email=${encodeURIComponent(DEMO_USERS.customer.email)}`,
        {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: world.host.webUrl,
            cookie: `ktizo.session_token=${session?.value}; planted=${SECRETS.plantedCookie}`,
            authorization: `Bearer ${SECRETS.bearer}`,
            "x-api-key": SECRETS.stripeKey,
          },
          body: form,
          redirect: "manual",
        },
      );
      // The person sees a form error; the error is reported.
      expect(failed.status).toBe(400);
      // The same failure through the tRPC endpoint (interactive components) is reported too.
      const viaTrpc = await fetch(`${world.host.webUrl}/api/trpc/privacy.settings.get`, {
        headers: {
          cookie: `ktizo.session_token=${session?.value}`,
          authorization: `Bearer ${SECRETS.bearer}`,
        },
      });
      expect(viaTrpc.status).toBe(500);
      await world.host.runtime.errors.flush(5000);
    } finally {
      await world.host.runtime.db.schema
        .alterTable("privacy_settings_moved")
        .renameTo("privacy_settings")
        .execute();
    }

    // A browser-side error reaches the endpoint through the browser SDK, scrubbed the same way.
    await page.evaluate((email) => {
      setTimeout(() => {
        throw new Error(`browser failure for ${email}`);
      }, 0);
    }, DEMO_USERS.customer.email);
    await expect
      .poll(() => sentry.envelopes.some((e) => e.includes("browser failure")), { timeout: 15_000 })
      .toBe(true);

    const sent = sentry.envelopes.join("\n");
    // The server error arrived, from the action's request...
    expect(sent).toContain("privacy_settings");
    expect(sent).toContain("/account/privacy");
    expect(sent).toContain("/api/trpc/privacy.settings.get");
    // ...with no planted secret, no session, no personal data.
    const planted = {
      ...SECRETS,
      session: session?.value ?? "",
      email: DEMO_USERS.customer.email,
      password2: DEMO_USERS.customer.password,
    };
    const leaked = Object.entries(planted)
      .filter(([, value]) => value.length > 0 && sent.includes(value))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
    expect(sent).not.toContain(encodeURIComponent(DEMO_USERS.customer.email));
    await context.close();
  });
});
