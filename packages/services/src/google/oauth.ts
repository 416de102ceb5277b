import { Readable } from "node:stream";
import { drive } from "@googleapis/drive";
import { gmail, auth as googleAuth } from "@googleapis/gmail";
import type { Database } from "@ktizo/db";
import type { Clock } from "../clock.ts";
import { ProviderError, ServiceInputError } from "../errors.ts";
import { accountStatus, deleteAccount, findAccount, saveAccount, tokenBinding } from "./account-store.ts";
import {
  buildMimeMessage,
  fromBase64Url,
  type GmailPart,
  headerOf,
  readPayload,
  toBase64Url,
} from "./mime.ts";
import { decryptToken, deriveTokenKey, encryptToken } from "./token-crypto.ts";
import {
  GmailHistoryExpiredError,
  type GmailMessageFull,
  GOOGLE_SCOPE_LIST,
  type GoogleAccountRef,
  GoogleItemNotFoundError,
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

/** Bounds: one inbox page, one history sync, one folder listing. */
const MAX_THREADS = 25;
const MAX_HISTORY_PAGES = 20;
const MAX_FOLDER_FILES = 200;
/** Gmail and Drive ids are URL-safe tokens; anything else never reaches a path or a Drive query. */
const GOOGLE_ID = /^[A-Za-z0-9_-]{1,200}$/;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function httpStatus(error: unknown): number | null {
  const e = error as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  const status = e?.response?.status ?? e?.status ?? e?.code;
  return typeof status === "number" ? status : null;
}

function isRevokedGrant(error: unknown): boolean {
  const e = error as { response?: { data?: { error?: unknown } } };
  return e?.response?.data?.error === "invalid_grant" || /invalid_grant/.test(describeError(error));
}

function requireGoogleId(name: string, value: string) {
  if (typeof value !== "string" || !GOOGLE_ID.test(value))
    throw new ServiceInputError(name, "is not a valid id");
}

/**
 * Gmail and Drive for each workspace user who connects their Google account: refresh tokens stored
 * encrypted per user, the three least scopes, and disconnect revokes at Google and forgets the token.
 */
export function createGoogleOAuth(options: GoogleOAuthOptions): GoogleService {
  const key = deriveTokenKey(options.appSecret);
  const oauthBase = options.oauthBaseUrl?.replace(/\/$/, "");
  const rootUrl = options.apiBaseUrl ? `${options.apiBaseUrl.replace(/\/$/, "")}/` : undefined;
  const { db } = options;

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

  /**
   * Authorised clients by account (and token version): each refreshes its access token when it expires,
   * so requests in a row share one access token. The access token lives only in this process's memory.
   */
  const clients = new Map<string, OAuth2Client>();

  /** An authorised client for the user; the access token is refreshed on demand and never stored. */
  async function authorised(ref: GoogleAccountRef): Promise<OAuth2Client> {
    const row = await findAccount(db, ref);
    if (!row) throw new GoogleNotConnectedError();
    const cacheKey = `${row.id}:${row.refreshTokenCiphertext}`;
    const cached = clients.get(cacheKey);
    if (cached) return cached;
    let refreshToken: string;
    try {
      refreshToken = decryptToken(key, row.refreshTokenCiphertext, tokenBinding(ref));
    } catch {
      // BETTER_AUTH_SECRET changed since the user connected: the token is unusable, ask to reconnect.
      throw new GoogleNotConnectedError();
    }
    const auth = client();
    auth.setCredentials({ refresh_token: refreshToken });
    // Bounded: one entry per connected account in use; a reconnect's new token is a new key.
    if (clients.size > 500) clients.clear();
    clients.set(cacheKey, auth);
    return auth;
  }

  async function gmailFor(ref: GoogleAccountRef) {
    return gmail({ version: "v1", auth: await authorised(ref), ...(rootUrl ? { rootUrl } : {}) });
  }
  async function driveFor(ref: GoogleAccountRef) {
    return drive({ version: "v3", auth: await authorised(ref), ...(rootUrl ? { rootUrl } : {}) });
  }

  /** One Google call: a revoked grant reads as "not connected", a 404 as "not found", the rest as provider errors. */
  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof GoogleNotConnectedError || error instanceof GmailHistoryExpiredError) throw error;
      if (isRevokedGrant(error) || httpStatus(error) === 401) throw new GoogleNotConnectedError();
      if (httpStatus(error) === 404) throw new GoogleItemNotFoundError(what);
      throw new ProviderError("google", `${what} failed: ${describeError(error)}`, { cause: error });
    }
  }

  function toMessage(message: {
    id?: string | null;
    threadId?: string | null;
    internalDate?: string | null;
    snippet?: string | null;
    payload?: GmailPart | null;
  }): GmailMessageFull {
    const { body, attachments } = readPayload(message.payload);
    const internal = Number(message.internalDate);
    return {
      id: message.id ?? "",
      threadId: message.threadId ?? "",
      from: headerOf(message.payload, "From") ?? "",
      to: headerOf(message.payload, "To") ?? "",
      cc: headerOf(message.payload, "Cc") ?? "",
      subject: headerOf(message.payload, "Subject") ?? "",
      date: new Date(Number.isFinite(internal) && internal > 0 ? internal : 0).toISOString(),
      messageIdHeader: headerOf(message.payload, "Message-ID") ?? headerOf(message.payload, "Message-Id"),
      references: headerOf(message.payload, "References"),
      body,
      snippet: message.snippet ?? "",
      attachments,
    };
  }

  return {
    provider: "google",

    consentUrl({ redirectUri, state, loginHint }) {
      if (typeof state !== "string" || state.length < 16) throw new ServiceInputError("state", "is required");
      if (!URL.canParse(redirectUri)) throw new ServiceInputError("redirectUri", "must be an absolute URL");
      return client(redirectUri).generateAuthUrl({
        access_type: "offline",
        // Always ask, so Google returns a refresh token even when the account connected before.
        prompt: "consent",
        include_granted_scopes: false,
        scope: [...GOOGLE_SCOPE_LIST],
        state,
        ...(loginHint ? { login_hint: loginHint } : {}),
      });
    },

    async connect({ organizationId, userId, code, redirectUri }) {
      const ref = { organizationId, userId };
      if (!organizationId || !userId) throw new ServiceInputError("user", "is required");
      if (typeof code !== "string" || code.trim() === "") throw new ServiceInputError("code", "is required");
      const oauth = client(redirectUri);
      const tokens = await oauth
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
      oauth.setCredentials(tokens);
      const profile = await call("Gmail profile", () =>
        gmail({ version: "v1", auth: oauth, ...(rootUrl ? { rootUrl } : {}) }).users.getProfile({
          userId: "me",
        }),
      );
      const email = profile.data.emailAddress;
      if (!email) throw new ProviderError("google", "Gmail did not say which address connected");
      return saveAccount(
        db,
        ref,
        {
          email,
          scopes,
          refreshTokenCiphertext: encryptToken(key, tokens.refresh_token, tokenBinding(ref)),
          historyId: profile.data.historyId ?? null,
        },
        options.clock.now(),
      );
    },

    async status(ref) {
      return accountStatus(await findAccount(db, ref));
    },

    async listThreads(ref, { max = 20, pageToken, query } = {}) {
      if (!Number.isInteger(max) || max < 1 || max > MAX_THREADS)
        throw new ServiceInputError("max", `must be 1 to ${MAX_THREADS}`);
      const api = await gmailFor(ref);
      const list = await call("Gmail threads", () =>
        api.users.threads.list({
          userId: "me",
          maxResults: max,
          labelIds: ["INBOX"],
          ...(pageToken ? { pageToken } : {}),
          ...(query ? { q: query } : {}),
        }),
      );
      const ids = (list.data.threads ?? []).flatMap((t) => (t.id ? [t.id] : []));
      const threads = await Promise.all(
        ids.map(async (id) => {
          const thread = await call("Gmail thread", () =>
            api.users.threads.get({
              userId: "me",
              id,
              format: "metadata",
              metadataHeaders: ["Subject", "From", "Date"],
            }),
          );
          const messages = thread.data.messages ?? [];
          const first = messages[0];
          const last = messages[messages.length - 1];
          const internal = Number(last?.internalDate);
          return {
            id,
            subject: headerOf(first?.payload, "Subject") ?? "",
            from: headerOf(last?.payload, "From") ?? "",
            snippet: last?.snippet ?? "",
            date: Number.isFinite(internal) && internal > 0 ? new Date(internal).toISOString() : null,
            messageCount: messages.length,
            hasAttachments: messages.some((m) =>
              (m.payload?.parts ?? []).some((p) => Boolean(p.filename && p.body?.attachmentId)),
            ),
          };
        }),
      );
      return { threads, nextPageToken: list.data.nextPageToken ?? null };
    },

    async getThread(ref, threadId) {
      requireGoogleId("threadId", threadId);
      const api = await gmailFor(ref);
      const thread = await call("Gmail thread", () =>
        api.users.threads.get({ userId: "me", id: threadId, format: "full" }),
      );
      return {
        id: thread.data.id ?? threadId,
        historyId: thread.data.historyId ?? null,
        messages: (thread.data.messages ?? []).map((m) => toMessage(m as Parameters<typeof toMessage>[0])),
      };
    },

    async getAttachment(ref, messageId, attachmentId) {
      requireGoogleId("messageId", messageId);
      requireGoogleId("attachmentId", attachmentId);
      const api = await gmailFor(ref);
      const answer = await call("Gmail attachment", () =>
        api.users.messages.attachments.get({ userId: "me", messageId, id: attachmentId }),
      );
      return new Uint8Array(fromBase64Url(answer.data.data ?? ""));
    },

    async send(ref, message) {
      if (message.threadId) requireGoogleId("threadId", message.threadId);
      const row = await findAccount(db, ref);
      if (!row) throw new GoogleNotConnectedError();
      const raw = buildMimeMessage({ ...message, from: row.email, date: options.clock.now() });
      const api = await gmailFor(ref);
      const sent = await call("Gmail send", () =>
        api.users.messages.send({
          userId: "me",
          requestBody: { raw: toBase64Url(raw), ...(message.threadId ? { threadId: message.threadId } : {}) },
        }),
      );
      if (!sent.data.id) throw new ProviderError("google", "Gmail returned no message id");
      return { id: sent.data.id, threadId: sent.data.threadId ?? message.threadId ?? sent.data.id };
    },

    async currentHistoryId(ref) {
      const api = await gmailFor(ref);
      const profile = await call("Gmail profile", () => api.users.getProfile({ userId: "me" }));
      if (!profile.data.historyId) throw new ProviderError("google", "Gmail returned no history id");
      return profile.data.historyId;
    },

    async history(ref, startHistoryId) {
      if (!/^\d{1,20}$/.test(startHistoryId))
        throw new ServiceInputError("startHistoryId", "must be a number");
      const api = await gmailFor(ref);
      const added: Array<{ id: string; threadId: string }> = [];
      let historyId = startHistoryId;
      let pageToken: string | undefined;
      for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
        const answer = await call("Gmail history", async () => {
          try {
            return await api.users.history.list({
              userId: "me",
              startHistoryId,
              historyTypes: ["messageAdded"],
              ...(pageToken ? { pageToken } : {}),
            });
          } catch (error) {
            if (httpStatus(error) === 404) throw new GmailHistoryExpiredError();
            throw error;
          }
        });
        for (const entry of answer.data.history ?? []) {
          for (const item of entry.messagesAdded ?? []) {
            if (item.message?.id && item.message.threadId)
              added.push({ id: item.message.id, threadId: item.message.threadId });
          }
        }
        historyId = answer.data.historyId ?? historyId;
        pageToken = answer.data.nextPageToken ?? undefined;
        if (!pageToken) return { historyId, added };
      }
      // More than the bound: start from the newest cursor and let the full re-sync catch up.
      throw new GmailHistoryExpiredError();
    },

    async createFolder(ref, { name }) {
      if (typeof name !== "string" || name.trim() === "" || name.length > 200)
        throw new ServiceInputError("name", "must be 1 to 200 characters");
      const api = await driveFor(ref);
      const created = await call("Drive folder", () =>
        api.files.create({
          requestBody: { name, mimeType: "application/vnd.google-apps.folder" },
          fields: "id,webViewLink",
        }),
      );
      if (!created.data.id) throw new ProviderError("google", "Drive returned no folder id");
      return { id: created.data.id, webLink: created.data.webViewLink ?? null };
    },

    async uploadFile(ref, file) {
      if (!(file?.bytes instanceof Uint8Array)) throw new ServiceInputError("bytes", "must be bytes");
      requireGoogleId("folderId", file.folderId);
      if (typeof file.name !== "string" || file.name.trim() === "")
        throw new ServiceInputError("name", "is required");
      const api = await driveFor(ref);
      const created = await call("Drive upload", () =>
        api.files.create(
          {
            requestBody: { name: file.name, mimeType: file.mimeType, parents: [file.folderId] },
            media: { mimeType: file.mimeType, body: Readable.from(Buffer.from(file.bytes)) },
            fields: "id,webViewLink",
          },
          // The service-level rootUrl does not move the upload URL; the per-call one does.
          rootUrl ? { rootUrl } : {},
        ),
      );
      if (!created.data.id) throw new ProviderError("google", "Drive returned no file id");
      return { id: created.data.id, webLink: created.data.webViewLink ?? null };
    },

    async listFolder(ref, folderId, { max = MAX_FOLDER_FILES } = {}) {
      requireGoogleId("folderId", folderId);
      if (!Number.isInteger(max) || max < 1 || max > MAX_FOLDER_FILES)
        throw new ServiceInputError("max", `must be 1 to ${MAX_FOLDER_FILES}`);
      const api = await driveFor(ref);
      const list = await call("Drive folder listing", () =>
        api.files.list({
          q: `'${folderId}' in parents and trashed = false`,
          pageSize: max,
          orderBy: "createdTime",
          fields: "files(id,name,mimeType,size,modifiedTime,webViewLink)",
        }),
      );
      return (list.data.files ?? []).flatMap((f) =>
        f.id
          ? [
              {
                id: f.id,
                name: f.name ?? f.id,
                mimeType: f.mimeType ?? "application/octet-stream",
                size: f.size ? Number(f.size) : null,
                modifiedAt: f.modifiedTime ?? null,
                webLink: f.webViewLink ?? null,
              },
            ]
          : [],
      );
    },

    async disconnect(ref) {
      const row = await findAccount(db, ref);
      if (!row) return { revoked: false };
      let revoked = true;
      try {
        await client().revokeToken(decryptToken(key, row.refreshTokenCiphertext, tokenBinding(ref)));
      } catch {
        // Already revoked at Google, unreachable, or undecryptable after a secret rotation: forgetting the
        // token locally still ends our access, and a user must always be able to disconnect.
        revoked = false;
      }
      clients.delete(`${row.id}:${row.refreshTokenCiphertext}`);
      await deleteAccount(db, ref, { revoked });
      return { revoked };
    },
  };
}
