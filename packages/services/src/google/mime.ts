import { randomBytes } from "node:crypto";
import { ServiceInputError } from "../errors.ts";
import type { GmailAttachmentInfo, GmailOutgoing } from "./types.ts";

/** Header values must be one line: a CR or LF would let a value add headers of its own. */
function oneLine(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new ServiceInputError(name, "must be one line");
  return value;
}

/** RFC 2047 encoded-word for a header with non-ASCII text (UTF-8, base64), split under 76 characters. */
export function encodeHeaderWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    // 45 bytes of UTF-8 make 60 base64 characters: each encoded word stays under 76 with its frame.
    if (Buffer.byteLength(chunk + char, "utf8") > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`).join("\r\n ");
}

/** "Re: " once, whatever the original carried ("RE:", "Re: Re:"). */
export function replySubject(subject: string): string {
  const bare = subject.replace(/^(\s*re\s*:\s*)+/i, "").trim();
  return `Re: ${bare}`;
}

/**
 * The RFC 2822 message Gmail's users.messages.send takes as `raw`: CRLF line ends, UTF-8 body in
 * base64 (any text survives every relay), the subject RFC 2047-encoded when not ASCII, In-Reply-To and
 * References so every client threads the reply.
 */
export function buildMimeMessage(
  input: GmailOutgoing & { from: string; date: Date; messageId?: string },
): string {
  const to = oneLine("to", input.to.trim());
  if (!to) throw new ServiceInputError("to", "is required");
  const domain = input.from.split("@")[1]?.replace(/[>\s].*$/, "") || "ktizo.local";
  const headers = [
    `From: ${oneLine("from", input.from)}`,
    `To: ${to}`,
    ...(input.cc?.trim() ? [`Cc: ${oneLine("cc", input.cc.trim())}`] : []),
    `Subject: ${encodeHeaderWord(oneLine("subject", input.subject))}`,
    `Date: ${input.date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${input.messageId ?? `<${randomBytes(12).toString("hex")}@${domain}>`}`,
  ];
  if (input.inReplyTo) {
    const parent = oneLine("inReplyTo", input.inReplyTo.trim());
    headers.push(`In-Reply-To: ${parent}`);
    const references = [input.references ? oneLine("references", input.references.trim()) : "", parent]
      .filter(Boolean)
      .join(" ");
    headers.push(`References: ${references}`);
  }
  headers.push(
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="UTF-8"',
    "Content-Transfer-Encoding: base64",
  );
  const body = Buffer.from(input.text.replace(/\r?\n/g, "\r\n"), "utf8")
    .toString("base64")
    .replace(/.{1,76}/g, "$&\r\n");
  return `${headers.join("\r\n")}\r\n\r\n${body}`;
}

/** Gmail's `raw` and body `data` are base64url. */
export function toBase64Url(text: string | Uint8Array): string {
  return Buffer.from(text).toString("base64url");
}
export function fromBase64Url(data: string): Buffer {
  return Buffer.from(data.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** The subset of a Gmail message part Ktizo reads. */
export interface GmailPart {
  mimeType?: string | null;
  filename?: string | null;
  headers?: Array<{ name?: string | null; value?: string | null }> | null;
  body?: { data?: string | null; attachmentId?: string | null; size?: number | null } | null;
  parts?: GmailPart[] | null;
}

export function headerOf(part: GmailPart | null | undefined, name: string): string | null {
  return part?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? null;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/tr>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The readable text of a message (text/plain first, else HTML as text) and its attachments. */
export function readPayload(payload: GmailPart | null | undefined): {
  body: string;
  attachments: GmailAttachmentInfo[];
} {
  const plain: string[] = [];
  const html: string[] = [];
  const attachments: GmailAttachmentInfo[] = [];
  const walk = (part: GmailPart) => {
    if (part.filename && part.body?.attachmentId) {
      attachments.push({
        attachmentId: part.body.attachmentId,
        filename: part.filename,
        mimeType: part.mimeType ?? "application/octet-stream",
        size: part.body.size ?? 0,
      });
      return;
    }
    if (part.parts?.length) {
      for (const child of part.parts) walk(child);
      return;
    }
    const data = part.body?.data;
    if (!data) return;
    if (part.mimeType === "text/plain") plain.push(fromBase64Url(data).toString("utf8"));
    else if (part.mimeType === "text/html") html.push(fromBase64Url(data).toString("utf8"));
  };
  if (payload) walk(payload);
  const body = plain.length > 0 ? plain.join("\n") : htmlToText(html.join("\n"));
  return { body: body.replace(/\r\n/g, "\n").trim(), attachments };
}

/** The bare address of a From/To header: "Dana <dana@x.test>" → "dana@x.test". */
export function addressOf(header: string): string {
  const angle = /<([^>]+)>/.exec(header);
  return (angle?.[1] ?? header).trim().toLowerCase();
}
