import { fromBase64Url, toBase64Url } from "../google/mime.ts";
import { GOOGLE_SCOPE_LIST } from "../google/types.ts";
import { formFields, type LoopbackServer, type ReceivedRequest, startLoopback } from "./loopback.ts";

/** A message in the fake mailbox. */
export interface FakeGmailMessage {
  id: string;
  threadId: string;
  historyId: number;
  from: string;
  to: string;
  subject: string;
  text: string;
  messageIdHeader: string;
  internalDate: number;
  attachment?: { id: string; filename: string; mimeType: string; bytes: Uint8Array };
}

export interface FakeGoogle {
  server: LoopbackServer;
  url: string;
  /** Requests the fake refused (bad path, token, scope or cursor): a test asserts this stays empty. */
  violations: string[];
  mailbox: FakeMailbox;
  /** A second Google account (code FAKE_GOOGLE_CODE_2): another user's mailbox, which the first never sees. */
  second: FakeMailbox;
  /** The raw RFC 2822 text of every message sent through users.messages.send. */
  sent: Array<{ raw: string; threadId: string | null }>;
  drive: Map<string, { id: string; name: string; mimeType: string; parents: string[]; body: Buffer }>;
  /** Adds a message as if it arrived (a new history entry). */
  deliver(
    message: Omit<FakeGmailMessage, "historyId" | "id" | "messageIdHeader"> & { id?: string },
    box?: FakeMailbox,
  ): FakeGmailMessage;
  /** Refresh tokens revoked at /oauth/revoke. */
  revoked: string[];
  /** How many times the token endpoint issued an access token from the refresh token. */
  refreshes: number;
  close(): Promise<void>;
}

export interface FakeMailbox {
  email: string;
  historyId: number;
  messages: FakeGmailMessage[];
  oldestHistoryId: number;
  refreshToken: string;
  code: string;
}

export const FAKE_GOOGLE_CODE = "fake-google-consent-code";
export const FAKE_GOOGLE_CODE_2 = "fake-google-consent-code-second";
export const FAKE_REFRESH_TOKEN = "1//fake-refresh-token-secret";
export const FAKE_REFRESH_TOKEN_2 = "1//fake-refresh-token-second";

/**
 * A loopback Google (OAuth, Gmail, Drive) that checks every request as Google would: the Authorization
 * header carries the access token it issued, the OAuth client is the expected one, the history cursor is
 * a number it knows (an older one answers 404), sent mail is valid base64url RFC 2822, Drive uploads are
 * multipart with the metadata first. Anything else is recorded in `violations` and refused.
 */
export async function startFakeGoogle(options: {
  clientId: string;
  clientSecret: string;
  email?: string;
}): Promise<FakeGoogle> {
  /** Access tokens issued, per mailbox: valid until the grant is revoked (as at Google, within the hour). */
  const issued = new Map<string, FakeMailbox>();
  let counter = 0;
  const next = (prefix: string) => {
    counter += 1;
    return `${prefix}${counter.toString(36)}x${Math.random().toString(36).slice(2, 8)}`;
  };
  const violations: string[] = [];
  const fake: Omit<FakeGoogle, "server" | "url" | "close"> = {
    violations,
    mailbox: {
      email: options.email ?? "shop.owner@gmail.test",
      historyId: 100,
      messages: [],
      oldestHistoryId: 100,
      refreshToken: FAKE_REFRESH_TOKEN,
      code: FAKE_GOOGLE_CODE,
    },
    second: {
      email: "someone.else@gmail.test",
      historyId: 500,
      messages: [],
      oldestHistoryId: 500,
      refreshToken: FAKE_REFRESH_TOKEN_2,
      code: FAKE_GOOGLE_CODE_2,
    },
    sent: [],
    drive: new Map(),
    revoked: [],
    refreshes: 0,
    deliver(message, box = fake.mailbox) {
      box.historyId += 1;
      const id = message.id ?? next("m");
      const full: FakeGmailMessage = {
        ...message,
        id,
        historyId: box.historyId,
        messageIdHeader: `<${id}@mail.gmail.test>`,
      };
      box.messages.push(full);
      return full;
    },
  };
  const refuse = (request: ReceivedRequest, why: string, status = 400) => {
    violations.push(`${request.method} ${request.path}: ${why}`);
    return { status, body: { error: { code: status, message: why } } };
  };
  const payload = (m: FakeGmailMessage) => {
    const headers = [
      { name: "From", value: m.from },
      { name: "To", value: m.to },
      { name: "Subject", value: m.subject },
      { name: "Message-ID", value: m.messageIdHeader },
    ];
    const text = { mimeType: "text/plain", body: { data: toBase64Url(m.text), size: m.text.length } };
    return {
      id: m.id,
      threadId: m.threadId,
      historyId: String(m.historyId),
      internalDate: String(m.internalDate),
      snippet: m.text.slice(0, 100),
      payload: m.attachment
        ? {
            mimeType: "multipart/mixed",
            headers,
            parts: [
              text,
              {
                mimeType: m.attachment.mimeType,
                filename: m.attachment.filename,
                body: { attachmentId: m.attachment.id, size: m.attachment.bytes.byteLength },
              },
            ],
          }
        : { ...text, headers },
    };
  };

  const server = await startLoopback((request) => {
    const { method, path } = request;
    // A browser on the consent page asks for its icon: not an API request.
    if (method === "GET" && path === "/favicon.ico") return { status: 404, body: "" };
    if (method === "GET" && path === "/oauth/auth") {
      const scope = request.url.searchParams.get("scope")?.split(" ") ?? [];
      if (scope.sort().join(" ") !== [...GOOGLE_SCOPE_LIST].sort().join(" "))
        return refuse(request, "wrong scopes");
      return { status: 200, body: "consent page" };
    }
    if (method === "POST" && path === "/oauth/token") {
      const form = formFields(request);
      if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret)
        return refuse(request, "wrong client", 401);
      const boxes = [fake.mailbox, fake.second];
      const issue = (box: FakeMailbox) => {
        const token = next("ya29.");
        issued.set(token, box);
        return token;
      };
      if (form.grant_type === "authorization_code") {
        const box = boxes.find((b) => b.code === form.code);
        if (!box) return { status: 400, body: { error: "invalid_grant" } };
        return {
          body: {
            access_token: issue(box),
            refresh_token: box.refreshToken,
            expires_in: 3600,
            token_type: "Bearer",
            scope: GOOGLE_SCOPE_LIST.join(" "),
          },
        };
      }
      if (form.grant_type === "refresh_token") {
        const box = boxes.find((b) => b.refreshToken === form.refresh_token);
        if (!box || fake.revoked.includes(box.refreshToken))
          return { status: 400, body: { error: "invalid_grant" } };
        fake.refreshes += 1;
        return { body: { access_token: issue(box), expires_in: 3600, token_type: "Bearer" } };
      }
      return refuse(request, "unknown grant");
    }
    if (method === "POST" && path === "/oauth/revoke") {
      const token = request.url.searchParams.get("token") ?? formFields(request).token;
      if (!token) return refuse(request, "no token");
      fake.revoked.push(token);
      return { body: {} };
    }
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1] ?? "";
    const box = issued.get(bearer);
    if (!box || fake.revoked.includes(box.refreshToken))
      return refuse(request, "missing, unknown or revoked access token", 401);

    if (method === "GET" && path === "/gmail/v1/users/me/profile")
      return { body: { emailAddress: box.email, historyId: String(box.historyId) } };
    if (method === "GET" && path === "/gmail/v1/users/me/threads") {
      const threadIds = [...new Set([...box.messages].reverse().map((m) => m.threadId))];
      const max = Number(request.url.searchParams.get("maxResults") ?? 100);
      return { body: { threads: threadIds.slice(0, max).map((id) => ({ id })) } };
    }
    const thread = /^\/gmail\/v1\/users\/me\/threads\/([^/]+)$/.exec(path);
    if (method === "GET" && thread) {
      const messages = box.messages.filter((m) => m.threadId === thread[1]);
      if (messages.length === 0) return { status: 404, body: { error: { code: 404, message: "Not Found" } } };
      return { body: { id: thread[1], historyId: String(box.historyId), messages: messages.map(payload) } };
    }
    const attachment = /^\/gmail\/v1\/users\/me\/messages\/([^/]+)\/attachments\/([^/]+)$/.exec(path);
    if (method === "GET" && attachment) {
      const m = box.messages.find((x) => x.id === attachment[1]);
      if (!m?.attachment || m.attachment.id !== attachment[2]) return { status: 404, body: {} };
      return { body: { data: toBase64Url(m.attachment.bytes), size: m.attachment.bytes.byteLength } };
    }
    if (method === "POST" && path === "/gmail/v1/users/me/messages/send") {
      const body = JSON.parse(request.text) as { raw?: string; threadId?: string };
      if (!body.raw || /[+/=]/.test(body.raw)) return refuse(request, "raw must be base64url");
      const raw = fromBase64Url(body.raw).toString("utf8");
      if (!/\r\n\r\n/.test(raw) || !/^From: /m.test(raw) || !/^To: /m.test(raw))
        return refuse(request, "raw is not an RFC 2822 message");
      fake.sent.push({ raw, threadId: body.threadId ?? null });
      const to = /^To: (.*)$/m.exec(raw)?.[1]?.trim() ?? "";
      const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? "";
      const sent = fake.deliver(
        {
          threadId: body.threadId ?? next("t"),
          from: box.email,
          to,
          subject,
          text: Buffer.from(raw.split("\r\n\r\n")[1]?.replace(/\r\n/g, "") ?? "", "base64").toString("utf8"),
          internalDate: Date.now(),
        },
        box,
      );
      return { body: { id: sent.id, threadId: sent.threadId, labelIds: ["SENT"] } };
    }
    if (method === "GET" && path === "/gmail/v1/users/me/history") {
      const start = request.url.searchParams.get("startHistoryId") ?? "";
      if (!/^\d+$/.test(start)) return refuse(request, "startHistoryId must be a number");
      if (Number(start) < box.oldestHistoryId)
        return { status: 404, body: { error: { code: 404, message: "Requested entity was not found." } } };
      if (request.url.searchParams.get("historyTypes") !== "messageAdded")
        return refuse(request, "historyTypes must be messageAdded");
      const added = box.messages.filter((m) => m.historyId > Number(start));
      return {
        body: {
          historyId: String(box.historyId),
          history: added.map((m) => ({
            id: String(m.historyId),
            messagesAdded: [{ message: { id: m.id, threadId: m.threadId } }],
          })),
        },
      };
    }
    if (method === "POST" && path === "/drive/v3/files") {
      const meta = JSON.parse(request.text || "{}") as { name?: string; mimeType?: string };
      if (meta.mimeType !== "application/vnd.google-apps.folder")
        return refuse(request, "only folders without media");
      const id = next("fold");
      fake.drive.set(id, {
        id,
        name: meta.name ?? "",
        mimeType: meta.mimeType,
        parents: [],
        body: Buffer.alloc(0),
      });
      return { body: { id, webViewLink: `https://drive.test/folders/${id}` } };
    }
    if (method === "POST" && path === "/upload/drive/v3/files") {
      if (request.url.searchParams.get("uploadType") !== "multipart")
        return refuse(request, "uploadType must be multipart");
      const boundary = /boundary=([^;]+)/.exec(String(request.headers["content-type"]))?.[1];
      if (!boundary) return refuse(request, "no multipart boundary");
      const parts = request.body.toString("latin1").split(`--${boundary}`).slice(1, -1);
      const [metaPart, mediaPart] = parts;
      if (!metaPart || !mediaPart) return refuse(request, "metadata and media parts expected");
      const meta = JSON.parse(metaPart.split("\r\n\r\n")[1] ?? "{}") as {
        name?: string;
        mimeType?: string;
        parents?: string[];
      };
      const parent = meta.parents?.[0];
      if (!parent || fake.drive.get(parent)?.mimeType !== "application/vnd.google-apps.folder")
        return refuse(request, "parents must name a folder");
      const media = mediaPart.slice(mediaPart.indexOf("\r\n\r\n") + 4).replace(/\r\n$/, "");
      const id = next("file");
      fake.drive.set(id, {
        id,
        name: meta.name ?? "",
        mimeType: meta.mimeType ?? "application/octet-stream",
        parents: [parent],
        body: Buffer.from(media, "latin1"),
      });
      return { body: { id, webViewLink: `https://drive.test/file/${id}` } };
    }
    if (method === "GET" && path === "/drive/v3/files") {
      const q = request.url.searchParams.get("q") ?? "";
      const match = /^'([A-Za-z0-9_-]+)' in parents and trashed = false$/.exec(q);
      if (!match) return refuse(request, `unexpected query ${q}`);
      const files = [...fake.drive.values()]
        .filter((f) => f.parents.includes(match[1] ?? ""))
        .map((f) => ({ id: f.id, name: f.name, mimeType: f.mimeType, size: String(f.body.length) }));
      return { body: { files } };
    }
    return refuse(request, "unknown endpoint", 404);
  });
  return Object.assign(fake, { server, url: server.url, close: () => server.close() });
}
