import { Readable } from "node:stream";
import { drive } from "@googleapis/drive";
import { gmail, auth as googleAuth } from "@googleapis/gmail";
import { type Database, recordAudit } from "@ktizo/db";
import type { Clock } from "../clock.ts";
import { ProviderError, ServiceInputError } from "../errors.ts";
import { decryptToken, deriveTokenKey, encryptToken } from "./token-crypto.ts";
import {
  GOOGLE_SCOPES,
  type GoogleConnectionStatus,
  GoogleNotConnectedError,
  type GoogleService,
} from "./types.ts";

export interface GoogleOAuthOptions {
  db: Database;
  clock: Clock;
  clientId: string;
  clientSecret: string;
  /** BETTER_AUTH_SECRET: the token encryption key is derived from it. */
  appSecret: string;
  /** Replaces https://gmail.googleapis.com and https://www.googleapis.com (tests: loopback). */
  apiBaseUrl?: string;
  /** Replaces Google's OAuth endpoints with <base>/auth, <base>/token and <base>/revoke (tests: loopback). */
  oauthBaseUrl?: string;
}

// The OAuth client from googleapis-common's own google-auth-library, so Gmail and Drive accept it.
type OAuth2Client = InstanceType<typeof googleAuth.OAuth2>;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Gmail and Drive for organizations that connect them (P12): per-organization refresh tokens stored
 * encrypted, minimal scopes, and disconnect revokes at Google and forgets the token.
 */
export function createGoogleOAuth(options: GoogleOAuthOptions): GoogleService {
  const key = deriveTokenKey(options.appSecret);
  const oauthBase = options.oauthBaseUrl?.replace(/\/$/, "");
  const rootUrl = options.apiBaseUrl ? `${options.apiBaseUrl.replace(/\/$/, "")}/` : undefined;

  function client(redirectUri?: string): OAuth2Client {
    return new googleAuth.OAuth2({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      ...(redirectUri ? { redirectUri } : {}),
      ...(oauthBase
        ? {
            endpoints: {
              oauth2AuthBaseUrl: `${oauthBase}/auth`,
              oauth2TokenUrl: `${oauthBase}/token`,
              oauth2RevokeUrl: `${oauthBase}/revoke`,
            },
          }
        : {}),
    });
  }

  async function connection(organizationId: string) {
    return options.db
      .selectFrom("googleConnection")
      .selectAll()
      .where("organizationId", "=", organizationId)
      .executeTakeFirst();
  }

  /** An authorised client for the organization; the access token is refreshed on demand and never stored. */
  async function authorised(organizationId: string): Promise<OAuth2Client> {
    const row = await connection(organizationId);
    if (!row) throw new GoogleNotConnectedError();
    let refreshToken: string;
    try {
      refreshToken = decryptToken(key, row.refreshTokenCiphertext, organizationId);
    } catch {
      // BETTER_AUTH_SECRET changed since the organization connected: the token is unusable, ask to reconnect.
      throw new GoogleNotConnectedError();
    }
    const auth = client();
    auth.setCredentials({ refresh_token: refreshToken });
    return auth;
  }

  function requireId(name: string, value: string) {
    if (typeof value !== "string" || value.trim() === "") throw new ServiceInputError(name, "is required");
  }

  return {
    provider: "google",

    consentUrl({ organizationId, redirectUri, state, features }) {
      requireId("organizationId", organizationId);
      requireId("state", state);
      if (!URL.canParse(redirectUri)) throw new ServiceInputError("redirectUri", "must be an absolute URL");
      if (!Array.isArray(features) || features.length === 0)
        throw new ServiceInputError("features", "choose gmail and/or drive");
      const scopes = [...new Set(features)].map((feature) => {
        const scope = GOOGLE_SCOPES[feature];
        if (!scope) throw new ServiceInputError("features", `unknown feature ${String(feature)}`);
        return scope;
      });
      return client(redirectUri).generateAuthUrl({
        access_type: "offline",
        // Always ask, so Google returns a refresh token even when the account connected before.
        prompt: "consent",
        include_granted_scopes: false,
        scope: scopes,
        state,
      });
    },

    async connect({ organizationId, userId, code, redirectUri }) {
      requireId("organizationId", organizationId);
      requireId("code", code);
      const tokens = await client(redirectUri)
        .getToken({ code, redirect_uri: redirectUri })
        .then((response) => response.tokens)
        .catch((error: unknown) => {
          throw new ProviderError("google", `code exchange failed: ${describeError(error)}`, {
            cause: error,
          });
        });
      if (!tokens.refresh_token)
        throw new ProviderError("google", "Google returned no refresh token; connect again");
      const scopes = (tokens.scope ?? "").split(" ").filter(Boolean);
      const now = options.clock.now();
      const ciphertext = encryptToken(key, tokens.refresh_token, organizationId);
      await options.db.transaction().execute(async (tx) => {
        await tx
          .insertInto("googleConnection")
          .values({
            organizationId,
            connectedByUserId: userId,
            scopes: scopes.join(" "),
            refreshTokenCiphertext: ciphertext,
            createdAt: now,
            updatedAt: now,
          })
          .onConflict((oc) =>
            oc.column("organizationId").doUpdateSet({
              connectedByUserId: userId,
              scopes: scopes.join(" "),
              refreshTokenCiphertext: ciphertext,
              updatedAt: now,
            }),
          )
          .execute();
        await recordAudit(tx, {
          organizationId,
          actorUserId: userId,
          action: "google.connected",
          subjectType: "organization",
          subjectId: organizationId,
          data: { scopes },
        });
      });
      return { connected: true, scopes, connectedAt: now };
    },

    async status(organizationId): Promise<GoogleConnectionStatus> {
      const row = await connection(organizationId);
      if (!row) return { connected: false, scopes: [], connectedAt: null };
      return { connected: true, scopes: row.scopes.split(" ").filter(Boolean), connectedAt: row.createdAt };
    },

    async listRecentMessages(organizationId, { max = 10, query } = {}) {
      if (!Number.isInteger(max) || max < 1 || max > 50)
        throw new ServiceInputError("max", "must be 1 to 50");
      const api = gmail({
        version: "v1",
        auth: await authorised(organizationId),
        ...(rootUrl ? { rootUrl } : {}),
      });
      try {
        const list = await api.users.messages.list({
          userId: "me",
          maxResults: max,
          ...(query ? { q: query } : {}),
        });
        const ids = (list.data.messages ?? []).flatMap((m) => (m.id ? [m.id] : []));
        return await Promise.all(
          ids.map(async (id) => {
            const message = await api.users.messages.get({
              userId: "me",
              id,
              format: "metadata",
              metadataHeaders: ["Subject", "From", "Date"],
            });
            const header = (name: string) =>
              message.data.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())
                ?.value ?? null;
            return {
              id,
              threadId: message.data.threadId ?? null,
              subject: header("Subject"),
              from: header("From"),
              date: header("Date"),
              snippet: message.data.snippet ?? null,
            };
          }),
        );
      } catch (error) {
        throw new ProviderError("google", `Gmail request failed: ${describeError(error)}`, { cause: error });
      }
    },

    async uploadToDrive(organizationId, file) {
      if (!(file?.bytes instanceof Uint8Array)) throw new ServiceInputError("bytes", "must be bytes");
      requireId("name", file.name);
      const api = drive({
        version: "v3",
        auth: await authorised(organizationId),
        ...(rootUrl ? { rootUrl } : {}),
      });
      try {
        const created = await api.files.create(
          {
            requestBody: { name: file.name, mimeType: file.mimeType },
            media: { mimeType: file.mimeType, body: Readable.from(Buffer.from(file.bytes)) },
            fields: "id",
          },
          // The service-level rootUrl does not move the upload URL; the per-call one does.
          rootUrl ? { rootUrl } : {},
        );
        if (!created.data.id) throw new Error("no file id in the answer");
        return { fileId: created.data.id };
      } catch (error) {
        throw new ProviderError("google", `Drive upload failed: ${describeError(error)}`, { cause: error });
      }
    },

    async disconnect({ organizationId, userId }) {
      const row = await connection(organizationId);
      if (!row) return { revoked: false };
      let revoked = true;
      try {
        await client().revokeToken(decryptToken(key, row.refreshTokenCiphertext, organizationId));
      } catch {
        // Already revoked at Google, unreachable, or undecryptable after a secret rotation: forgetting the
        // token locally still ends our access, and the organization must always be able to disconnect.
        revoked = false;
      }
      await options.db.transaction().execute(async (tx) => {
        await tx.deleteFrom("googleConnection").where("organizationId", "=", organizationId).execute();
        await recordAudit(tx, {
          organizationId,
          actorUserId: userId,
          action: "google.disconnected",
          subjectType: "organization",
          subjectId: organizationId,
          data: { revoked },
        });
      });
      return { revoked };
    },
  };
}
