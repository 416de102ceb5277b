import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../clock.ts";
import { ServiceInputError } from "../errors.ts";
import {
  FAKE_GOOGLE_CODE,
  FAKE_REFRESH_TOKEN,
  type FakeGoogle,
  startFakeGoogle,
} from "../testing/google-server.ts";
import { formFields } from "../testing/loopback.ts";
import { createLocalGoogle, LOCAL_GOOGLE_CODE } from "./local.ts";
import { buildMimeMessage, encodeHeaderWord, replySubject } from "./mime.ts";
import { createGoogleOAuth } from "./oauth.ts";
import { decryptToken, deriveTokenKey } from "./token-crypto.ts";
import {
  GmailHistoryExpiredError,
  GOOGLE_SCOPE_LIST,
  GOOGLE_SCOPES,
  GoogleItemNotFoundError,
  GoogleNotConnectedError,
  type GoogleService,
} from "./types.ts";

const APP_SECRET = "better-auth-secret-for-tests-0123456789";
const CLIENT = { clientId: "client-id.apps.googleusercontent.com", clientSecret: "client-secret" };
const ORG = "org_google_1";
const ME = { organizationId: ORG, userId: "usr_g_owner" };
const OTHER = { organizationId: ORG, userId: "usr_g_member" };
const REDIRECT = "https://ktizo.test/org/google/callback";
let handle: DbHandle;
let fake: FakeGoogle;
let google: GoogleService;

beforeAll(async () => {
  handle = await createTestDb();
  await handle.db
    .insertInto("organization")
    .values({ id: ORG, name: "Shop", slug: "shop-g", logo: null, metadata: null })
    .execute();
  for (const id of [ME.userId, OTHER.userId]) {
    await handle.db
      .insertInto("user")
      .values({
        id,
        name: id,
        email: `${id}@ktizo.test`,
        image: null,
        role: null,
        banned: null,
        banReason: null,
        banExpires: null,
        country: null,
      })
      .execute();
  }
  fake = await startFakeGoogle({ ...CLIENT, email: "owner@gmail.test" });
  google = createGoogleOAuth({
    db: handle.db,
    clock: fixedClock("2026-05-01T10:00:00Z"),
    ...CLIENT,
    appSecret: APP_SECRET,
    apiBaseUrl: fake.url,
    oauthBaseUrl: `${fake.url}/oauth`,
  });
});
afterAll(async () => {
  await fake.close();
  await handle.close();
});

describe("raw MIME of sent mail", () => {
  it("encodes a non-ASCII subject as RFC 2047 UTF-8 words and threads the reply", () => {
    const raw = buildMimeMessage({
      from: "owner@gmail.test",
      to: "Dana <dana@brightline.example>",
      subject: replySubject("RE: Bestellung für Zahnräder – Größe M"),
      text: "Grüße,\nthe shop",
      inReplyTo: "<m1@mail.gmail.test>",
      references: "<m0@mail.gmail.test>",
      date: new Date("2026-05-01T10:00:00Z"),
      messageId: "<fixed@gmail.test>",
    });
    const [head, body] = raw.split("\r\n\r\n");
    expect(head).toContain("From: owner@gmail.test\r\nTo: Dana <dana@brightline.example>\r\n");
    expect(head).toContain(`Subject: ${encodeHeaderWord("Re: Bestellung für Zahnräder – Größe M")}`);
    expect(head).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=/m);
    expect(head).toContain(
      "In-Reply-To: <m1@mail.gmail.test>\r\nReferences: <m0@mail.gmail.test> <m1@mail.gmail.test>",
    );
    expect(head).toContain("Date: Fri, 01 May 2026 10:00:00 +0000");
    expect(head).toContain('Content-Type: text/plain; charset="UTF-8"\r\nContent-Transfer-Encoding: base64');
    expect(Buffer.from(body ?? "", "base64").toString("utf8")).toBe("Grüße,\r\nthe shop");
    expect(encodeHeaderWord("PO 1001")).toBe("PO 1001");
  });

  it("refuses a header that would add headers of its own", () => {
    expect(() =>
      buildMimeMessage({
        from: "a@b.test",
        to: "x@y.test\r\nBcc: evil@z.test",
        subject: "s",
        text: "t",
        date: new Date(0),
      }),
    ).toThrow(ServiceInputError);
  });
});

describe("Google per user against a loopback Google that checks every request", () => {
  it("asks for exactly the three least scopes, offline, with state", () => {
    const url = new URL(google.consentUrl({ redirectUri: REDIRECT, state: "state-0123456789abcdef" }));
    expect(url.origin + url.pathname).toBe(`${fake.url}/oauth/auth`);
    expect(url.searchParams.get("scope")?.split(" ").sort()).toEqual([...GOOGLE_SCOPE_LIST].sort());
    expect(GOOGLE_SCOPE_LIST).toEqual([
      GOOGLE_SCOPES.gmailRead,
      GOOGLE_SCOPES.gmailSend,
      GOOGLE_SCOPES.drive,
    ]);
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("state")).toBe("state-0123456789abcdef");
    expect(url.searchParams.get("client_id")).toBe(CLIENT.clientId);
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT);
    expect(() => google.consentUrl({ redirectUri: REDIRECT, state: "" })).toThrow(ServiceInputError);
  });

  it("refuses Gmail before the user connects", async () => {
    await expect(google.listThreads(ME)).rejects.toBeInstanceOf(GoogleNotConnectedError);
    expect((await google.status(ME)).connected).toBe(false);
  });

  it("a bad code changes nothing", async () => {
    await expect(google.connect({ ...ME, code: "bad-code", redirectUri: REDIRECT })).rejects.toThrow(
      /code exchange failed/,
    );
    expect((await google.status(ME)).connected).toBe(false);
  });

  it("exchanges the code, reads the address, stores the refresh token encrypted for this user only", async () => {
    const before = fake.server.received.length;
    const status = await google.connect({ ...ME, code: FAKE_GOOGLE_CODE, redirectUri: REDIRECT });
    expect(status).toMatchObject({ connected: true, email: "owner@gmail.test" });
    expect(status.scopes.sort()).toEqual([...GOOGLE_SCOPE_LIST].sort());
    const exchange = fake.server.received[before]!;
    expect(formFields(exchange)).toMatchObject({
      code: FAKE_GOOGLE_CODE,
      grant_type: "authorization_code",
      redirect_uri: REDIRECT,
    });
    const row = await handle.db
      .selectFrom("googleAccount")
      .selectAll()
      .where("userId", "=", ME.userId)
      .executeTakeFirstOrThrow();
    expect(row.refreshTokenCiphertext).not.toContain("refresh");
    expect(row.historyId).toBe("100");
    const key = deriveTokenKey(APP_SECRET);
    expect(decryptToken(key, row.refreshTokenCiphertext, `${ORG}:${ME.userId}`)).toBe(FAKE_REFRESH_TOKEN);
    expect(() => decryptToken(key, row.refreshTokenCiphertext, `${ORG}:${OTHER.userId}`)).toThrow();
    // Another user of the same shop has not connected: nothing of this account is theirs.
    expect((await google.status(OTHER)).connected).toBe(false);
    await expect(google.listThreads(OTHER)).rejects.toBeInstanceOf(GoogleNotConnectedError);
    const audit = await handle.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "google.connected")
      .execute();
    expect(JSON.stringify(audit)).not.toContain(FAKE_REFRESH_TOKEN);
  });

  it("lists threads and reads one with its PDF attachment, refreshing the access token", async () => {
    const pdf = new TextEncoder().encode("%PDF-1.4 purchase order");
    fake.deliver({
      threadId: "t-po",
      from: "Dana <dana@brightline.example>",
      to: "owner@gmail.test",
      subject: "PO 88213",
      text: "PO attached",
      internalDate: Date.parse("2026-04-30T09:00:00Z"),
      attachment: { id: "att-1", filename: "PO-88213.pdf", mimeType: "application/pdf", bytes: pdf },
    });
    const refreshesBefore = fake.refreshes;
    const { threads } = await google.listThreads(ME, { max: 5 });
    expect(fake.refreshes).toBe(refreshesBefore + 1);
    expect(threads).toEqual([
      expect.objectContaining({
        id: "t-po",
        subject: "PO 88213",
        from: "Dana <dana@brightline.example>",
        messageCount: 1,
        hasAttachments: true,
      }),
    ]);
    const list = fake.server.received.find((r) => r.path === "/gmail/v1/users/me/threads")!;
    expect(list.url.searchParams.get("maxResults")).toBe("5");
    expect(list.url.searchParams.get("labelIds")).toBe("INBOX");
    const thread = await google.getThread(ME, "t-po");
    const message = thread.messages[0]!;
    expect(message).toMatchObject({
      body: "PO attached",
      subject: "PO 88213",
      date: "2026-04-30T09:00:00.000Z",
    });
    expect(message.attachments).toEqual([
      { attachmentId: "att-1", filename: "PO-88213.pdf", mimeType: "application/pdf", size: pdf.byteLength },
    ]);
    expect(Buffer.from(await google.getAttachment(ME, message.id, "att-1")).toString()).toBe(
      "%PDF-1.4 purchase order",
    );
    await expect(google.getThread(ME, "t-unknown")).rejects.toBeInstanceOf(GoogleItemNotFoundError);
    await expect(google.getThread(ME, "../../evil")).rejects.toBeInstanceOf(ServiceInputError);
  });

  it("sends a reply as the user: base64url raw MIME with threadId, In-Reply-To and References", async () => {
    const parent = (await google.getThread(ME, "t-po")).messages[0]!;
    const sent = await google.send(ME, {
      to: parent.from,
      subject: replySubject(parent.subject),
      text: "Thanks — we start Monday.",
      threadId: "t-po",
      inReplyTo: parent.messageIdHeader,
      references: parent.references,
    });
    expect(sent.threadId).toBe("t-po");
    const last = fake.sent.at(-1)!;
    expect(last.threadId).toBe("t-po");
    expect(last.raw).toMatch(/^From: owner@gmail\.test\r\n/);
    expect(last.raw).toContain(
      `In-Reply-To: ${parent.messageIdHeader}\r\nReferences: ${parent.messageIdHeader}`,
    );
    expect(last.raw).toContain("Subject: Re: PO 88213\r\n");
    const sendRequest = fake.server.received
      .filter((r) => r.path === "/gmail/v1/users/me/messages/send")
      .at(-1)!;
    expect(sendRequest.headers.authorization).toMatch(/^Bearer ya29\./);
  });

  it("syncs with the history cursor, and a cursor Google no longer has reads as expired (404)", async () => {
    const start = await google.currentHistoryId(ME);
    fake.deliver({
      threadId: "t-po",
      from: "Dana <dana@brightline.example>",
      to: "owner@gmail.test",
      subject: "Re: PO 88213",
      text: "Great, thanks",
      internalDate: Date.parse("2026-05-01T09:00:00Z"),
    });
    const delta = await google.history(ME, start);
    expect(delta.added).toEqual([{ id: fake.mailbox.messages.at(-1)!.id, threadId: "t-po" }]);
    expect(delta.historyId).toBe(String(fake.mailbox.historyId));
    const request = fake.server.received.filter((r) => r.path === "/gmail/v1/users/me/history").at(-1)!;
    expect(request.url.searchParams.get("startHistoryId")).toBe(start);
    expect(request.url.searchParams.get("historyTypes")).toBe("messageAdded");
    fake.mailbox.oldestHistoryId = fake.mailbox.historyId;
    await expect(google.history(ME, start)).rejects.toBeInstanceOf(GmailHistoryExpiredError);
    await expect(google.history(ME, "1 or 1")).rejects.toBeInstanceOf(ServiceInputError);
  });

  it("creates a Drive folder, uploads into it (multipart, parents) and lists it back", async () => {
    const folder = await google.createFolder(ME, { name: "JOB-12 · Brightline" });
    const create = fake.server.received
      .filter((r) => r.path === "/drive/v3/files" && r.method === "POST")
      .at(-1)!;
    expect(JSON.parse(create.text)).toEqual({
      name: "JOB-12 · Brightline",
      mimeType: "application/vnd.google-apps.folder",
    });
    const file = await google.uploadFile(ME, {
      folderId: folder.id,
      name: "bracket.stl",
      mimeType: "model/stl",
      bytes: new TextEncoder().encode("solid bracket"),
    });
    const upload = fake.server.received.filter((r) => r.path === "/upload/drive/v3/files").at(-1)!;
    expect(upload.url.searchParams.get("uploadType")).toBe("multipart");
    expect(upload.text).toContain(`"parents":["${folder.id}"]`);
    expect(upload.text).toContain("solid bracket");
    expect(fake.drive.get(file.id)?.body.toString()).toBe("solid bracket");
    const listed = await google.listFolder(ME, folder.id);
    expect(listed.map((f) => f.name)).toEqual(["bracket.stl"]);
    await expect(google.listFolder(ME, "x' or name contains 'a")).rejects.toBeInstanceOf(ServiceInputError);
  });

  it("disconnect revokes at Google and forgets the token; the fake saw no bad request", async () => {
    expect(await google.disconnect(ME)).toEqual({ revoked: true });
    expect(fake.revoked).toEqual([FAKE_REFRESH_TOKEN]);
    expect((await google.status(ME)).connected).toBe(false);
    expect(await handle.db.selectFrom("googleAccount").selectAll().execute()).toEqual([]);
    await expect(google.listThreads(ME)).rejects.toBeInstanceOf(GoogleNotConnectedError);
    expect(fake.violations).toEqual([]);
  });
});

describe("local stand-in (no Google credentials)", () => {
  it("connects without Google and shows a demo inbox with a purchase-order PDF", async () => {
    const local = createLocalGoogle({ db: handle.db, clock: fixedClock("2026-05-01T10:00:00Z") });
    const consent = new URL(local.consentUrl({ redirectUri: REDIRECT, state: "state-0123456789abcdef" }));
    expect(consent.searchParams.get("code")).toBe(LOCAL_GOOGLE_CODE);
    expect(consent.searchParams.get("state")).toBe("state-0123456789abcdef");
    await local.connect({ ...OTHER, code: LOCAL_GOOGLE_CODE, redirectUri: REDIRECT });
    const { threads } = await local.listThreads(OTHER);
    expect(threads.length).toBeGreaterThanOrEqual(3);
    const po = threads.find((t) => t.hasAttachments)!;
    const message = (await local.getThread(OTHER, po.id)).messages[0]!;
    const bytes = await local.getAttachment(OTHER, message.id, message.attachments[0]!.attachmentId);
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe("%PDF-");
    const start = await local.currentHistoryId(OTHER);
    await local.send(OTHER, { to: "dana@x.test", subject: "Re: x", text: "hi", threadId: po.id });
    expect((await local.history(OTHER, start)).added).toHaveLength(1);
    await local.disconnect(OTHER);
    expect((await local.status(OTHER)).connected).toBe(false);
  });
});
