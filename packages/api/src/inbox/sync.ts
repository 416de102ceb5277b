import type { Database } from "@ktizo/db";
import {
  type Clock,
  GmailHistoryExpiredError,
  type GmailMessageFull,
  GoogleItemNotFoundError,
  GoogleNotConnectedError,
  type GoogleService,
} from "@ktizo/services";
import { z } from "zod";
import { recordThreadMessages } from "./threads.ts";

/** Accounts synced per run: the rest wait for the next run (every run starts with the longest-waiting). */
const ACCOUNTS_PER_RUN = 50;

/**
 * One Gmail account's linked threads brought up to date. With a cursor, only the history since it is
 * read (users.history.list) and only messages of linked threads are fetched; without one, or when Gmail
 * no longer has that history (404), every linked thread is read in full and the cursor starts over.
 * Writes are idempotent per message id, so a run that fails half-way is simply repeated.
 */
export async function syncGmailAccount(
  db: Database,
  googleService: GoogleService,
  account: { id: string; organizationId: string; userId: string; email: string; historyId: string | null },
  now: Date,
): Promise<{ recorded: number; full: boolean }> {
  const ref = { organizationId: account.organizationId, userId: account.userId };
  const links = await db
    .selectFrom("gmailThreadLink")
    .selectAll()
    .where("accountId", "=", account.id)
    .execute();
  const linkByThread = new Map(links.map((l) => [l.threadId, l]));
  let recorded = 0;
  let full = account.historyId === null;
  let cursor: string | null = null;
  if (!full && account.historyId) {
    try {
      const delta = await googleService.history(ref, account.historyId);
      cursor = delta.historyId;
      const threads = new Set(delta.added.filter((m) => linkByThread.has(m.threadId)).map((m) => m.threadId));
      for (const threadId of threads) {
        const link = linkByThread.get(threadId);
        if (!link) continue;
        const thread = await googleService.getThread(ref, threadId).catch((error: unknown) => {
          if (error instanceof GoogleItemNotFoundError) return null;
          throw error;
        });
        const wanted = new Set(delta.added.map((m) => m.id));
        const added: GmailMessageFull[] = thread?.messages.filter((m) => wanted.has(m.id)) ?? [];
        recorded += await recordThreadMessages(db, account, link, added, now);
      }
    } catch (error) {
      if (!(error instanceof GmailHistoryExpiredError)) throw error;
      full = true;
    }
  }
  if (full) {
    cursor = await googleService.currentHistoryId(ref);
    for (const link of links) {
      const thread = await googleService.getThread(ref, link.threadId).catch((error: unknown) => {
        if (error instanceof GoogleItemNotFoundError) return null;
        throw error;
      });
      if (thread) recorded += await recordThreadMessages(db, account, link, thread.messages, now);
    }
  }
  await db
    .updateTable("googleAccount")
    .set({ historyId: cursor, lastSyncedAt: now })
    .where("id", "=", account.id)
    .execute();
  return { recorded, full };
}

/** Every connected account with linked threads, longest-waiting first; a revoked grant is skipped. */
export async function syncGmail(db: Database, googleService: GoogleService, clock: Clock) {
  const accounts = await db
    .selectFrom("googleAccount")
    .select(["id", "organizationId", "userId", "email", "historyId"])
    .where((eb) =>
      eb.exists(eb.selectFrom("gmailThreadLink").select("id").whereRef("accountId", "=", "googleAccount.id")),
    )
    .orderBy("lastSyncedAt", (ob) => ob.asc().nullsFirst())
    .limit(ACCOUNTS_PER_RUN)
    .execute();
  let recorded = 0;
  for (const account of accounts) {
    try {
      recorded += (await syncGmailAccount(db, googleService, account, clock.now())).recorded;
    } catch (error) {
      if (error instanceof GoogleNotConnectedError) continue;
      throw error;
    }
  }
  return { accounts: accounts.length, recorded };
}

/** The pg-boss job: linked Gmail threads into the jobs' conversations, every five minutes. */
export const gmailSyncJob = {
  name: "gmail-sync",
  schema: z.object({}),
  cron: "*/5 * * * *",
  run: async (
    _data: Record<string, never>,
    deps: { db: Database; services: { google: GoogleService }; clock: Clock },
  ) => {
    await syncGmail(deps.db, deps.services.google, deps.clock);
  },
};
