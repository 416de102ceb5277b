import { AiDisabledError, AiUnavailableError, ProviderError, ServiceInputError } from "@ktizo/services";
import { DomainError, type Executor, enforceRateLimit } from "../kernel/index.ts";

/**
 * One AI call in the domain's words: the switch being off is FORBIDDEN (nothing was sent), a feature
 * the configured backend cannot do is PRECONDITION_FAILED, input the service refused is BAD_REQUEST,
 * and a provider that failed or answered nonsense is PRECONDITION_FAILED with a retry hint.
 */
export async function askAi<T>(
  call: () => Promise<T>,
  words: { what: string; withoutAi: string; field?: string },
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AiDisabledError) {
      throw new DomainError(
        "FORBIDDEN",
        `AI features are switched off for this shop or for you; ${words.withoutAi}`,
      );
    }
    if (error instanceof AiUnavailableError) {
      throw new DomainError("PRECONDITION_FAILED", `${words.what} is not available here.`);
    }
    if (error instanceof ServiceInputError) {
      throw new DomainError("BAD_REQUEST", error.message, { [words.field ?? error.field]: error.message });
    }
    if (error instanceof ProviderError) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        `${words.what} did not work this time (the AI service failed); try again in a moment.`,
      );
    }
    throw error;
  }
}

/** Workspace AI help costs a provider request each: a fixed number per user and shop an hour (P4). */
export function limitAiAssist(db: Executor, actor: { organizationId: string; userId: string }, now: Date) {
  return enforceRateLimit(db, "aiAssist", [actor.organizationId, actor.userId], now);
}
