import { z } from "zod";
import type { Expect, Same } from "../outputs.ts";
import type { PlanProposal, ProposedAssignment, ReplanOffer } from "./planning.ts";

const proposedAssignmentSchema = z
  .object({
    jobId: z.string(),
    jobNumber: z.number(),
    title: z.string(),
    printerId: z.string(),
    printerName: z.string(),
    startAt: z.date(),
    endAt: z.date(),
    dueAt: z.date().nullable(),
    lateMinutes: z.number(),
    lateBecause: z.string().nullable(),
    change: z.enum(["new", "moved", "kept"]),
    waitsForMaterial: z.string().nullable(),
  })
  .strict();

export const planProposalOutput = z
  .object({
    assignments: z.array(proposedAssignmentSchema),
    unplanned: z.array(
      z.object({ jobId: z.string(), jobNumber: z.number(), title: z.string(), reason: z.string() }).strict(),
    ),
    lateJobs: z.number(),
    totalLatenessMinutes: z.number(),
    finishesAt: z.date(),
  })
  .strict();

export const planAcceptOutput = z
  .object({
    scheduled: z.array(z.string()),
    refused: z.array(z.object({ jobId: z.string(), reason: z.string() }).strict()),
  })
  .strict();

const replanOfferSchema = z
  .object({
    kind: z.enum(["printer_offline", "running_late", "rush_job"]),
    subjectId: z.string(),
    reason: z.string(),
  })
  .strict();

export const planOffersOutput = z.object({ offers: z.array(replanOfferSchema) }).strict();

/** Compile-time: each schema answers exactly its workflow type, so a field added there fails here. */
export type OutputChecks = [
  Expect<Same<z.output<typeof proposedAssignmentSchema>, ProposedAssignment>>,
  Expect<Same<z.output<typeof planProposalOutput>, PlanProposal>>,
  Expect<Same<z.output<typeof replanOfferSchema>, ReplanOffer>>,
];
