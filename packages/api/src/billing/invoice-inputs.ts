// What the invoice procedures accept: payment terms and the input schemas.

import type { InvoiceTerms } from "@ktizo/db";
import { z } from "zod";
import { idSchema, searchSchema } from "../kernel/index.ts";
import { documentFieldsInput, isoDayInput } from "./document.ts";

export const TERMS_DAYS: Record<Exclude<InvoiceTerms, "custom">, number> = {
  due_on_receipt: 0,
  net_15: 15,
  net_30: 30,
};

const termsInput = {
  terms: z
    .enum(["due_on_receipt", "net_15", "net_30", "custom"], { error: "Choose the payment terms" })
    .optional(),
  /** Days to pay with custom terms. */
  termsDays: z.number().int().min(0).max(365, "At most 365 days").optional(),
  recipientEmail: z
    .string()
    .trim()
    .toLowerCase()
    .email("Not a valid email address")
    .max(254)
    .nullable()
    .optional(),
};

export const createInvoiceInput = documentFieldsInput
  .extend({ jobId: idSchema, lines: documentFieldsInput.shape.lines.optional(), ...termsInput })
  .strict();
export const invoiceFromEstimateInput = z.object({ estimateId: idSchema, ...termsInput }).strict();
export const updateDraftInput = documentFieldsInput
  .partial()
  .extend({ id: idSchema, ...termsInput })
  .strict();
export const issueInvoiceInput = z.object({ id: idSchema, issueDate: isoDayInput.optional() }).strict();
export const voidInvoiceInput = z
  .object({
    id: idSchema,
    reason: z.string().trim().min(3, "Say why it is void").max(500, "At most 500 characters"),
  })
  .strict();
export const creditNoteInput = z
  .object({
    invoiceId: idSchema,
    reason: z.string().trim().min(3, "Say what the credit is for").max(500, "At most 500 characters"),
    /** Left out: the whole remaining amount, as the invoice's lines. */
    lines: documentFieldsInput.shape.lines.optional(),
  })
  .strict();
export const listInvoicesInput = z.object({
  jobId: idSchema.optional(),
  customerId: idSchema.optional(),
  kind: z.enum(["invoice", "credit_note"]).optional(),
  status: z.enum(["draft", "sent", "viewed", "partly_paid", "paid", "overdue", "void"]).optional(),
  search: searchSchema,
  issuedFrom: isoDayInput.optional(),
  issuedTo: isoDayInput.optional(),
});
