import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Database } from "@ktizo/db";
import type { Clock } from "../clock.ts";
import { ServiceInputError } from "../errors.ts";
import { accountStatus, deleteAccount, findAccount, saveAccount } from "./account-store.ts";
import { buildMimeMessage } from "./mime.ts";
import {
  type DriveFileSummary,
  type GmailMessageFull,
  GOOGLE_SCOPE_LIST,
  type GoogleAccountRef,
  GoogleItemNotFoundError,
  GoogleNotConnectedError,
  type GoogleService,
} from "./types.ts";

/** The code the local consent "page" hands back: the stand-in has no Google to ask. */
export const LOCAL_GOOGLE_CODE = "local-demo-consent";
const LOCAL_ADDRESS = "you@demo-inbox.local";

interface Mailbox {
  historyId: number;
  messages: Array<GmailMessageFull & { historyId: number; attachmentBytes: Map<string, Uint8Array> }>;
}

const DEMO_PO_PDF = new URL("../ai/purchase-orders/pdf/01-email-table-usd.pdf", import.meta.url);

function id(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Google without Google (development, `pnpm dev`): "connecting" skips the consent page, and the user's
 * inbox holds a few demo threads, one of them a purchase order with a PDF attachment. Sent replies and
 * Drive folders live in this process's memory. Nothing leaves the machine.
 */
export function createLocalGoogle(options: { db: Database; clock: Clock }): GoogleService {
  const mailboxes = new Map<string, Mailbox>();
  const folders = new Map<string, DriveFileSummary[]>();

  async function mailbox(ref: GoogleAccountRef): Promise<Mailbox> {
    const row = await findAccount(options.db, ref);
    if (!row) throw new GoogleNotConnectedError();
    const existing = mailboxes.get(row.id);
    if (existing) return existing;
    const now = options.clock.now().getTime();
    const pdf = new Uint8Array(await readFile(DEMO_PO_PDF));
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
    const message = (
      threadId: string,
      fields: Partial<GmailMessageFull> & { from: string; subject: string; body: string; date: string },
      attachment?: { filename: string; mimeType: string; bytes: Uint8Array },
    ) => {
      const messageId = id();
      const attachmentId = id();
      return {
        id: messageId,
        threadId,
        to: LOCAL_ADDRESS,
        cc: "",
        messageIdHeader: `<${messageId}@demo-inbox.local>`,
        references: null,
        snippet: fields.body.slice(0, 120),
        attachments: attachment
          ? [
              {
                attachmentId,
                filename: attachment.filename,
                mimeType: attachment.mimeType,
                size: attachment.bytes.byteLength,
              },
            ]
          : [],
        historyId: 1,
        attachmentBytes: new Map(attachment ? [[attachmentId, attachment.bytes]] : []),
        ...fields,
      };
    };
    const created: Mailbox = {
      historyId: 1,
      messages: [
        message(
          "demo-thread-po",
          {
            from: "Dana Whitfield <dana.whitfield@brightline-robotics.example>",
            subject: "Purchase Order PO-88213 - RUSH",
            body: "Hi, please find our purchase order PO-88213 attached. We need the parts by June 12, 2026.\n\nThanks,\nDana",
            date: at(3),
          },
          { filename: "PO-88213.pdf", mimeType: "application/pdf", bytes: pdf },
        ),
        message("demo-thread-question", {
          from: "Sam Okafor <sam@okafor-design.example>",
          subject: "Can you print the hinge in PETG?",
          body: "Hello, could the hinge from last month be printed in PETG instead of PLA? Same quantity (12).\n\nSam",
          date: at(20),
        }),
        message("demo-thread-supplier", {
          from: "Filament Depot <orders@filament-depot.example>",
          subject: "Your filament order has shipped",
          body: "Your order of 4 spools of PETG has shipped and arrives on Thursday.",
          date: at(48),
        }),
      ],
    };
    mailboxes.set(row.id, created);
    return created;
  }

  async function requireConnected(ref: GoogleAccountRef) {
    const row = await findAccount(options.db, ref);
    if (!row) throw new GoogleNotConnectedError();
    return row;
  }

  return {
    provider: "local",

    consentUrl({ redirectUri, state }) {
      if (typeof state !== "string" || state.length < 16) throw new ServiceInputError("state", "is required");
      if (!URL.canParse(redirectUri)) throw new ServiceInputError("redirectUri", "must be an absolute URL");
      const url = new URL(redirectUri);
      url.searchParams.set("state", state);
      url.searchParams.set("code", LOCAL_GOOGLE_CODE);
      return url.toString();
    },

    async connect({ organizationId, userId, code }) {
      if (code !== LOCAL_GOOGLE_CODE)
        throw new ServiceInputError("code", "is not this installation's consent");
      return saveAccount(
        options.db,
        { organizationId, userId },
        {
          email: LOCAL_ADDRESS,
          scopes: [...GOOGLE_SCOPE_LIST],
          refreshTokenCiphertext: "local-stand-in:no-token",
          historyId: "1",
        },
        options.clock.now(),
      );
    },

    async status(ref) {
      return accountStatus(await findAccount(options.db, ref));
    },

    async listThreads(ref, { max = 20 } = {}) {
      const box = await mailbox(ref);
      const byThread = new Map<string, Mailbox["messages"]>();
      for (const m of box.messages) byThread.set(m.threadId, [...(byThread.get(m.threadId) ?? []), m]);
      const threads = [...byThread.entries()].map(([threadId, messages]) => {
        const first = messages[0];
        const last = messages[messages.length - 1];
        return {
          id: threadId,
          subject: first?.subject ?? "",
          from: last?.from ?? "",
          snippet: last?.snippet ?? "",
          date: last?.date ?? null,
          messageCount: messages.length,
          hasAttachments: messages.some((m) => m.attachments.length > 0),
        };
      });
      threads.sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
      return { threads: threads.slice(0, max), nextPageToken: null };
    },

    async getThread(ref, threadId) {
      const box = await mailbox(ref);
      const messages = box.messages.filter((m) => m.threadId === threadId);
      if (messages.length === 0) throw new GoogleItemNotFoundError("Gmail thread");
      return {
        id: threadId,
        historyId: String(box.historyId),
        messages: messages.map(({ historyId: _h, attachmentBytes: _b, ...m }) => m),
      };
    },

    async getAttachment(ref, messageId, attachmentId) {
      const box = await mailbox(ref);
      const bytes = box.messages.find((m) => m.id === messageId)?.attachmentBytes.get(attachmentId);
      if (!bytes) throw new GoogleItemNotFoundError("Gmail attachment");
      return bytes;
    },

    async send(ref, outgoing) {
      const row = await requireConnected(ref);
      const box = await mailbox(ref);
      const date = options.clock.now();
      // Built exactly as for Gmail, so a bad header fails here too.
      buildMimeMessage({ ...outgoing, from: row.email, date });
      const threadId = outgoing.threadId ?? id();
      box.historyId += 1;
      const messageId = id();
      box.messages.push({
        id: messageId,
        threadId,
        from: row.email,
        to: outgoing.to,
        cc: outgoing.cc ?? "",
        subject: outgoing.subject,
        date: date.toISOString(),
        messageIdHeader: `<${messageId}@demo-inbox.local>`,
        references: outgoing.inReplyTo ?? null,
        body: outgoing.text,
        snippet: outgoing.text.slice(0, 120),
        attachments: [],
        historyId: box.historyId,
        attachmentBytes: new Map(),
      });
      return { id: messageId, threadId };
    },

    async currentHistoryId(ref) {
      return String((await mailbox(ref)).historyId);
    },

    async history(ref, startHistoryId) {
      const box = await mailbox(ref);
      const start = Number(startHistoryId);
      return {
        historyId: String(box.historyId),
        added: box.messages
          .filter((m) => m.historyId > start)
          .map((m) => ({ id: m.id, threadId: m.threadId })),
      };
    },

    async createFolder(ref, { name }) {
      await requireConnected(ref);
      if (!name.trim()) throw new ServiceInputError("name", "is required");
      const folderId = `local-folder-${id()}`;
      folders.set(folderId, []);
      return { id: folderId, webLink: null };
    },

    async uploadFile(ref, file) {
      await requireConnected(ref);
      const list = folders.get(file.folderId);
      if (!list) throw new GoogleItemNotFoundError("Drive folder");
      const fileId = `local-file-${id()}`;
      list.push({
        id: fileId,
        name: file.name,
        mimeType: file.mimeType,
        size: file.bytes.byteLength,
        modifiedAt: options.clock.now().toISOString(),
        webLink: null,
      });
      return { id: fileId, webLink: null };
    },

    async listFolder(ref, folderId) {
      await requireConnected(ref);
      const list = folders.get(folderId);
      if (!list) throw new GoogleItemNotFoundError("Drive folder");
      return [...list];
    },

    async disconnect(ref) {
      const row = await findAccount(options.db, ref);
      if (!row) return { revoked: false };
      mailboxes.delete(row.id);
      await deleteAccount(options.db, ref, { revoked: true });
      return { revoked: true };
    },
  };
}
