import { z } from "zod";
import { intakePurchaseOrderOutput } from "../ai/outputs.ts";
import type { Expect, Same } from "../outputs.ts";
import type { DriveFolderView } from "./drive.ts";
import type { ArithmeticCheck, CurrencyConversion, Evidence } from "./po-draft.ts";
import type { InboxStatus, ThreadLinkView } from "./threads.ts";

/** What the inbox router answers (strict: no column or token reaches the browser by accident). */

export const inboxStatusOutput = z
  .object({
    provider: z.enum(["google", "local"]),
    connected: z.boolean(),
    email: z.string().nullable(),
    scopes: z.array(z.string()),
    connectedAt: z.date().nullable(),
  })
  .strict();

export const consentUrlOutput = z.object({ url: z.string() }).strict();
export const disconnectOutput = z.object({ revoked: z.boolean() }).strict();

const linkSchema = z
  .object({
    jobId: z.string().nullable(),
    jobNumber: z.number().nullable(),
    jobTitle: z.string().nullable(),
    customerId: z.string().nullable(),
    customerName: z.string().nullable(),
  })
  .strict();

export const threadsOutput = z
  .object({
    threads: z.array(
      z
        .object({
          id: z.string(),
          subject: z.string(),
          from: z.string(),
          snippet: z.string(),
          date: z.string().nullable(),
          messageCount: z.number(),
          hasAttachments: z.boolean(),
          link: linkSchema.nullable(),
        })
        .strict(),
    ),
    nextPageToken: z.string().nullable(),
  })
  .strict();

export const threadOutput = z
  .object({
    id: z.string(),
    subject: z.string(),
    link: linkSchema.nullable(),
    messages: z.array(
      z
        .object({
          id: z.string(),
          from: z.string(),
          to: z.string(),
          subject: z.string(),
          date: z.date(),
          body: z.string(),
          fromMe: z.boolean(),
          attachments: z.array(
            z
              .object({
                attachmentId: z.string(),
                filename: z.string(),
                mimeType: z.string(),
                size: z.number(),
                isPdf: z.boolean(),
              })
              .strict(),
          ),
          purchaseOrder: z.boolean(),
        })
        .strict(),
    ),
  })
  .strict();

export const replyOutput = z.object({ id: z.string(), threadId: z.string() }).strict();
export const linkOutput = z.object({ linked: z.boolean(), recorded: z.number().optional() }).strict();
export const unlinkOutput = z.object({ unlinked: z.boolean() }).strict();

const evidenceSchema = z
  .object({ field: z.string(), value: z.string(), source: z.string().nullable() })
  .strict();
const checkSchema = z.object({ label: z.string(), ok: z.boolean().nullable(), detail: z.string() }).strict();

const conversionSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    rate: z.number(),
    rateDate: z.string(),
    unitPricesMinor: z.array(z.number().int().nullable()),
  })
  .strict();

export const draftFromMessageOutput = z.discriminatedUnion("readable", [
  z.object({ readable: z.literal(false), message: z.string(), from: z.enum(["pdf", "text"]) }).strict(),
  z
    .object({
      readable: z.literal(true),
      from: z.enum(["pdf", "text"]),
      draft: intakePurchaseOrderOutput,
      evidence: z.array(evidenceSchema),
      itemEvidence: z.array(
        z
          .object({
            description: z.string().nullable(),
            quantity: z.string().nullable(),
            unitPrice: z.string().nullable(),
          })
          .strict(),
      ),
      checks: z.array(checkSchema),
      conversion: conversionSchema.nullable(),
    })
    .strict(),
]);

export const createJobFromDraftOutput = z.object({ jobId: z.string(), number: z.number() }).strict();

const driveFolderSchema = z
  .object({
    folder: z
      .object({
        name: z.string(),
        webLink: z.string().nullable(),
        lastSyncedAt: z.date().nullable(),
        syncing: z.boolean(),
        mine: z.boolean(),
      })
      .strict()
      .nullable(),
    files: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          mimeType: z.string(),
          sizeBytes: z.number().nullable(),
          origin: z.enum(["ktizo", "drive"]),
          webLink: z.string().nullable(),
          modifiedAt: z.date().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export const driveFolderOutput = driveFolderSchema;

/** Compile-time: each schema answers exactly its domain type. */
export type OutputChecks = [
  Expect<Same<z.output<typeof inboxStatusOutput>, InboxStatus>>,
  Expect<Same<z.output<typeof linkSchema>, ThreadLinkView>>,
  Expect<Same<z.output<typeof evidenceSchema>, Evidence>>,
  Expect<Same<z.output<typeof checkSchema>, ArithmeticCheck>>,
  Expect<Same<z.output<typeof conversionSchema>, CurrencyConversion>>,
  Expect<Same<z.output<typeof driveFolderSchema>, DriveFolderView>>,
];
