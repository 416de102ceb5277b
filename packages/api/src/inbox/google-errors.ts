import {
  type GoogleAccountRef,
  GoogleItemNotFoundError,
  GoogleNotConfiguredError,
  GoogleNotConnectedError,
  ProviderError,
  ServiceInputError,
} from "@ktizo/services";
import { DomainError, notFound, preconditionFailed } from "../kernel/index.ts";

/** The signed-in member's own Google account: Gmail is per user, never another member's mailbox. */
export interface MemberRef extends GoogleAccountRef {}

/** Google's answers as the API's errors: another account's thread or a bad id is simply not found. */
export async function google<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof GoogleNotConnectedError || error instanceof GoogleNotConfiguredError)
      throw preconditionFailed("Connect your Google account first (Workspace → Inbox).");
    if (error instanceof GoogleItemNotFoundError) throw notFound("Not found in your Google account");
    if (error instanceof ServiceInputError) throw notFound("Not found in your Google account");
    if (error instanceof ProviderError)
      throw new DomainError(
        "PRECONDITION_FAILED",
        "Google did not answer as expected; try again in a minute.",
      );
    throw error;
  }
}
