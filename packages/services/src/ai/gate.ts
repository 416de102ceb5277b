import { z } from "zod";
import { inputErrorFrom, ServiceInputError } from "../errors.ts";
import {
  type AiBackend,
  AiDisabledError,
  type AiScope,
  type AiService,
  type IsAiAllowed,
  scheduleInputSchema,
  suggestInputSchema,
} from "./types.ts";

const scopeSchema = z.object({ organizationId: z.string().min(1), userId: z.string().min(1) });
const MAX_PO_TEXT = 50_000;

/**
 * Puts the privacy switches in front of a backend (P13, P28): the check runs before input is even
 * validated, and when it says no, the backend is never called, so nothing leaves the server.
 */
export function createGatedAi(backend: AiBackend, isAiAllowed: IsAiAllowed): AiService {
  async function gate(scope: AiScope): Promise<void> {
    const parsed = scopeSchema.safeParse(scope);
    if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
    if ((await isAiAllowed(parsed.data)) !== true) throw new AiDisabledError();
  }
  return {
    provider: backend.provider,
    async extractPurchaseOrder(scope, input) {
      await gate(scope);
      if (typeof input?.text !== "string" || input.text.trim() === "")
        throw new ServiceInputError("text", "must not be empty");
      if (input.text.length > MAX_PO_TEXT)
        throw new ServiceInputError("text", `must be at most ${MAX_PO_TEXT} characters`);
      return backend.extractPurchaseOrder(input.text);
    },
    async suggest(scope, input) {
      await gate(scope);
      const parsed = suggestInputSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      return backend.suggest(parsed.data);
    },
    async planSchedule(scope, input) {
      await gate(scope);
      const parsed = scheduleInputSchema.safeParse(input);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      return backend.planSchedule(parsed.data);
    },
  };
}
