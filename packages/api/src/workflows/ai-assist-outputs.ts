import { z } from "zod";
import type { Expect, Same } from "../outputs.ts";
import type { LateJobExplanation, SteeringProposal } from "./plan-steering.ts";
import type { ReplySuggestion } from "./reply-suggestion.ts";

const source = z.enum(["anthropic", "rules"]);

const constraintOutput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("first"), jobIds: z.array(z.string()) }).strict(),
  z.object({ kind: z.literal("keep_free"), printerId: z.string(), from: z.date(), to: z.date() }).strict(),
  z.object({ kind: z.literal("not_before"), jobId: z.string(), at: z.date() }).strict(),
  z.object({ kind: z.literal("on_printer"), jobId: z.string(), printerId: z.string() }).strict(),
]);

export const steerPlanOutput = z
  .object({
    constraints: z.array(z.object({ constraint: constraintOutput, explanation: z.string() }).strict()),
    messages: z.array(z.string()),
    source,
  })
  .strict();

export const explainLateOutput = z.object({ jobId: z.string(), explanation: z.string(), source }).strict();

export const suggestReplyOutput = z.object({ reply: z.string(), source }).strict();

export const replyOutcomeOutput = z.object({ recorded: z.literal(true) }).strict();

/** Compile-time: each schema answers exactly its workflow type, so a field added there fails here. */
export type OutputChecks = [
  Expect<Same<z.output<typeof steerPlanOutput>, SteeringProposal>>,
  Expect<Same<z.output<typeof explainLateOutput>, LateJobExplanation>>,
  Expect<Same<z.output<typeof suggestReplyOutput>, ReplySuggestion>>,
];
