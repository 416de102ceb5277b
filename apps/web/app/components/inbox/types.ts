import type { RouterOutputs, Served } from "~/lib/api-types";
import type { FormResult } from "~/lib/forms";

/** The inbox's threads as the page receives them (inbox.threads). */
export type InboxThreadSummary = Served<RouterOutputs["inbox"]["threads"]>["threads"][number];
/** One open thread with its messages (inbox.thread). */
export type InboxThread = Served<RouterOutputs["inbox"]["thread"]>;
/** A job or customer a thread can be linked to. */
export type LinkChoice = { id: string; label: string };
/** Whether the form of this intent is being sent. */
export type BusyIntent = (intent: string) => boolean;
/** The answer of the inbox page's action. */
export type InboxActionResult = FormResult;
