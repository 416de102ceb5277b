import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../clock.ts";
import { ServiceInputError } from "../errors.ts";
import { formFields, type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { createNotConnectedGoogle } from "./local.ts";
import { createGoogleOAuth } from "./oauth.ts";
import { decryptToken, deriveTokenKey } from "./token-crypto.ts";
import {
  GOOGLE_SCOPES,
  GoogleNotConfiguredError,
  GoogleNotConnectedError,
  type GoogleService,
} from "./types.ts";

const APP_SECRET = "better-auth-secret-for-tests-0123456789";
const REFRESH_TOKEN = "1//refresh-token-very-secret";
const ORG = "org_google_1";
let handle: DbHandle;
let server: LoopbackServer;
let google: GoogleService;

beforeAll(async () => {
  handle = await createTestDb();
  await handle.db
    .insertInto("organization")
    .values({ id: ORG, name: "Shop", slug: "shop-g", logo: null, metadata: null })
    .execute();
  server = await startLoopback((req) => {
    if (req.method === "POST" && req.path === "/oauth/token") {
      const form = formFields(req);
      if (form.grant_type === "authorization_code" && form.code === "good-code") {
        return {
          body: {
            access_token: "access-1",
            refresh_token: REFRESH_TOKEN,
            expires_in: 3600,
            token_type: "Bearer",
            scope: `${GOOGLE_SCOPES.gmail} ${GOOGLE_SCOPES.drive}`,
          },
        };
      }
      if (form.grant_type === "refresh_token" && form.refresh_token === REFRESH_TOKEN) {
        return { body: { access_token: "access-2", expires_in: 3600, token_type: "Bearer" } };
      }
      return { status: 400, body: { error: "invalid_grant" } };
    }
    if (req.method === "POST" && req.path === "/oauth/revoke") return { body: {} };
    if (req.headers.authorization !== "Bearer access-2")
      return { status: 401, body: { error: "unauthenticated" } };
    if (req.method === "GET" && req.path === "/gmail/v1/users/me/messages") {
      return { body: { messages: [{ id: "m1", threadId: "t1" }] } };
    }
    if (req.method === "GET" && req.path === "/gmail/v1/users/me/messages/m1") {
      return {
        body: {
          id: "m1",
          threadId: "t1",
          snippet: "Please find our PO attached",
          payload: {
            headers: [
              { name: "Subject", value: "PO 1001" },
              { name: "From", value: "buyer@acme.test" },
            ],
          },
        },
      };
    }
    if (req.method === "POST" && req.path === "/upload/drive/v3/files")
      return { body: { id: "drive-file-1" } };
    return { status: 404, body: { error: "unknown" } };
  });
  google = createGoogleOAuth({
    db: handle.db,
    clock: fixedClock("2026-05-01T10:00:00Z"),
    clientId: "client-id.apps.googleusercontent.com",
    clientSecret: "client-secret",
    appSecret: APP_SECRET,
    apiBaseUrl: server.url,
    oauthBaseUrl: `${server.url}/oauth`,
  });
});
afterAll(async () => {
  await server.close();
  await handle.close();
});

describe("Google OAuth, Gmail and Drive against a loopback server", () => {
  it("builds a consent URL with only the chosen scopes, offline access and state", () => {
    const url = new URL(
      google.consentUrl({
        organizationId: ORG,
        redirectUri: "https://ktizo.test/shop/google/callback",
        state: "csrf-state-1",
        features: ["gmail"],
      }),
    );
    expect(url.origin + url.pathname).toBe(`${server.url}/oauth/auth`);
    expect(url.searchParams.get("scope")).toBe(GOOGLE_SCOPES.gmail);
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("state")).toBe("csrf-state-1");
    expect(url.searchParams.get("client_id")).toBe("client-id.apps.googleusercontent.com");
    expect(() =>
      google.consentUrl({ organizationId: ORG, redirectUri: "https://x.test/cb", state: "s", features: [] }),
    ).toThrow(ServiceInputError);
  });

  it("refuses to use Gmail before the organization connects", async () => {
    await expect(google.listRecentMessages(ORG)).rejects.toBeInstanceOf(GoogleNotConnectedError);
    expect(await google.status(ORG)).toEqual({ connected: false, scopes: [], connectedAt: null });
  });

  it("exchanges the code and stores the refresh token only encrypted, bound to the organization", async () => {
    const before = server.received.length;
    const status = await google.connect({
      organizationId: ORG,
      userId: "usr_owner",
      code: "good-code",
      redirectUri: "https://ktizo.test/shop/google/callback",
    });
    expect(status.connected).toBe(true);
    const exchange = server.received[before]!;
    expect(formFields(exchange)).toMatchObject({
      code: "good-code",
      grant_type: "authorization_code",
      client_id: "client-id.apps.googleusercontent.com",
      client_secret: "client-secret",
      redirect_uri: "https://ktizo.test/shop/google/callback",
    });
    const row = await handle.db
      .selectFrom("googleConnection")
      .selectAll()
      .where("organizationId", "=", ORG)
      .executeTakeFirstOrThrow();
    expect(row.refreshTokenCiphertext).not.toContain("refresh-token");
    expect(row.connectedByUserId).toBe("usr_owner");
    const key = deriveTokenKey(APP_SECRET);
    expect(decryptToken(key, row.refreshTokenCiphertext, ORG)).toBe(REFRESH_TOKEN);
    expect(() => decryptToken(key, row.refreshTokenCiphertext, "org_other")).toThrow();
    expect(() => decryptToken(deriveTokenKey(`${APP_SECRET}x`), row.refreshTokenCiphertext, ORG)).toThrow();
    const audit = await handle.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "google.connected")
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(REFRESH_TOKEN);
  });

  it("a bad code changes nothing", async () => {
    await expect(
      google.connect({
        organizationId: ORG,
        userId: "usr_x",
        code: "bad-code",
        redirectUri: "https://ktizo.test/cb",
      }),
    ).rejects.toThrow(/code exchange failed/);
    expect((await google.status(ORG)).connected).toBe(true);
  });

  it("lists recent Gmail messages with a refreshed access token", async () => {
    const before = server.received.length;
    const messages = await google.listRecentMessages(ORG, { max: 5 });
    expect(messages).toEqual([
      {
        id: "m1",
        threadId: "t1",
        subject: "PO 1001",
        from: "buyer@acme.test",
        date: null,
        snippet: "Please find our PO attached",
      },
    ]);
    const requests = server.received.slice(before);
    expect(formFields(requests[0]!)).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: REFRESH_TOKEN,
    });
    const list = requests.find((r) => r.path === "/gmail/v1/users/me/messages")!;
    expect(list.url.searchParams.get("maxResults")).toBe("5");
    expect(list.headers.authorization).toBe("Bearer access-2");
  });

  it("uploads a file to Drive", async () => {
    const before = server.received.length;
    const result = await google.uploadToDrive(ORG, {
      name: "invoice-1001.pdf",
      mimeType: "application/pdf",
      bytes: new TextEncoder().encode("%PDF-1.4 test"),
    });
    expect(result).toEqual({ fileId: "drive-file-1" });
    const upload = server.received.slice(before).find((r) => r.path === "/upload/drive/v3/files")!;
    expect(upload.headers.authorization).toBe("Bearer access-2");
    expect(upload.text).toContain('"name":"invoice-1001.pdf"');
    expect(upload.text).toContain("%PDF-1.4 test");
  });

  it("disconnect revokes at Google and forgets the token", async () => {
    const before = server.received.length;
    expect(await google.disconnect({ organizationId: ORG, userId: "usr_owner" })).toEqual({ revoked: true });
    const revoke = server.received.slice(before).find((r) => r.path === "/oauth/revoke")!;
    expect(revoke.url.searchParams.get("token") ?? formFields(revoke).token).toBe(REFRESH_TOKEN);
    expect(await google.status(ORG)).toEqual({ connected: false, scopes: [], connectedAt: null });
    await expect(google.listRecentMessages(ORG)).rejects.toBeInstanceOf(GoogleNotConnectedError);
  });
});

describe("a token that no longer decrypts (secret rotated)", () => {
  it("asks to reconnect, and disconnect still forgets it", async () => {
    await handle.db
      .insertInto("googleConnection")
      .values({
        organizationId: ORG,
        connectedByUserId: "u",
        scopes: GOOGLE_SCOPES.drive,
        refreshTokenCiphertext: "v1.x.y.z",
      })
      .execute();
    await expect(google.listRecentMessages(ORG)).rejects.toBeInstanceOf(GoogleNotConnectedError);
    expect(await google.disconnect({ organizationId: ORG, userId: "usr_owner" })).toEqual({ revoked: false });
    expect((await google.status(ORG)).connected).toBe(false);
  });
});

describe("not-connected stand-in", () => {
  it("cannot connect and reports nothing connected", async () => {
    const google = createNotConnectedGoogle();
    expect(() =>
      google.consentUrl({
        organizationId: ORG,
        redirectUri: "https://x/cb",
        state: "s",
        features: ["gmail"],
      }),
    ).toThrow(GoogleNotConfiguredError);
    expect(await google.status(ORG)).toEqual({ connected: false, scopes: [], connectedAt: null });
    await expect(
      google.uploadToDrive(ORG, { name: "a", mimeType: "text/plain", bytes: new Uint8Array() }),
    ).rejects.toBeInstanceOf(GoogleNotConnectedError);
  });
});
