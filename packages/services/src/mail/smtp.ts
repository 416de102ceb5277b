import type { Database } from "@ktizo/db";
import nodemailer from "nodemailer";
import { z } from "zod";
import { inputErrorFrom } from "../errors.ts";
import { sendRecorded } from "../outbox.ts";
import { mailEntry } from "./outbox.ts";
import type { MailMessage, MailService } from "./types.ts";

/** Attachments are at most 10 MB together (most mail servers refuse more). */
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const messageSchema = z.object({
  to: z.email("must be an email address"),
  subject: z.string().min(1).max(998),
  text: z.string().min(1),
  replyTo: z.email("must be an email address").nullish(),
  attachments: z
    .array(
      z.object({
        fileName: z
          .string()
          .min(1)
          .max(200)
          .regex(/^[^/\\\r\n]+$/, "must be a plain file name"),
        contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a media type"),
        content: z.instanceof(Uint8Array),
      }),
    )
    .max(10)
    .refine((list) => list.reduce((n, a) => n + a.content.byteLength, 0) <= MAX_ATTACHMENT_BYTES, {
      message: "attachments are at most 10 MB together",
    })
    .optional(),
});

export interface SmtpMailOptions {
  db: Database;
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465. */
  smtpUrl: string;
  from: string;
}

/**
 * Real email through any SMTP server. Each message is also recorded in the outbox table with its
 * outcome, so the admin console shows what was sent and what failed, whichever provider is used.
 */
export function createSmtpMail(options: SmtpMailOptions): MailService {
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    provider: "smtp",
    async send(message: MailMessage) {
      const parsed = messageSchema.safeParse(message);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const { id } = await sendRecorded(options.db, "smtp", mailEntry(message), async () => {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          ...(message.html ? { html: message.html } : {}),
          ...(message.attachments?.length
            ? {
                attachments: message.attachments.map((a) => ({
                  filename: a.fileName,
                  contentType: a.contentType,
                  content: Buffer.from(a.content),
                })),
              }
            : {}),
        });
        return info.messageId ?? null;
      });
      return { id };
    },
  };
}
