import { z } from "zod";
import { createJob } from "../job/create-job.ts";
import { orgProcedure, router } from "../trpc.ts";
import { rateLookup } from "../workflows/exchange-rate-lookup.ts";
import { createJobDriveFolder, getJobDriveFolder, jobDriveInput, syncJobDriveFolder } from "./drive.ts";
import { google } from "./google-errors.ts";
import {
  consentUrlOutput,
  createJobFromDraftOutput,
  disconnectOutput,
  draftFromMessageOutput,
  driveFolderOutput,
  inboxStatusOutput,
  linkOutput,
  replyOutput,
  threadOutput,
  threadsOutput,
  unlinkOutput,
} from "./outputs.ts";
import { createFromDraftInput, draftFromMessageInput, draftJobFromMessage } from "./po-draft.ts";
import {
  getInboxThread,
  inboxStatus,
  linkThread,
  linkThreadInput,
  listInboxThreads,
  replyInput,
  replyToThread,
  threadInput,
  unlinkThread,
} from "./threads.ts";

const member = orgProcedure("member");
/** Gmail is per user: every call acts on the signed-in member's own Google account in this shop. */
const refOf = (ctx: { org: { id: string }; session: { userId: string } }) => ({
  organizationId: ctx.org.id,
  userId: ctx.session.userId,
});
const callbackUrl = (baseUrl: string) => `${baseUrl}/org/google/callback`;

/** The workspace inbox (Gmail per member), purchase orders from email and Drive folders per job (issue 13). */
export const inboxRouter = router({
  status: member.output(inboxStatusOutput).query(({ ctx }) => inboxStatus(ctx.services.google, refOf(ctx))),
  /** Google's consent page for the member; the web route keeps `state` in a cookie and checks it on return. */
  consentUrl: member
    .input(z.object({ state: z.string().min(16).max(200) }).strict())
    .output(consentUrlOutput)
    .mutation(async ({ ctx, input }) => ({
      url: await google(async () =>
        ctx.services.google.consentUrl({ redirectUri: callbackUrl(ctx.baseUrl), state: input.state }),
      ),
    })),
  connect: member
    .input(z.object({ code: z.string().min(1).max(2000) }).strict())
    .output(inboxStatusOutput)
    .mutation(async ({ ctx, input }) => {
      await google(() =>
        ctx.services.google.connect({
          ...refOf(ctx),
          code: input.code,
          redirectUri: callbackUrl(ctx.baseUrl),
        }),
      );
      return inboxStatus(ctx.services.google, refOf(ctx));
    }),
  disconnect: member
    .output(disconnectOutput)
    .mutation(({ ctx }) => ctx.services.google.disconnect(refOf(ctx))),
  threads: member
    .input(
      z
        .object({ pageToken: z.string().max(500).nullish(), query: z.string().trim().max(200).nullish() })
        .strict(),
    )
    .output(threadsOutput)
    .query(({ ctx, input }) => listInboxThreads(ctx.db, ctx.services.google, refOf(ctx), input)),
  thread: member
    .input(threadInput)
    .output(threadOutput)
    .query(({ ctx, input }) => getInboxThread(ctx.db, ctx.services.google, refOf(ctx), input.threadId)),
  reply: member
    .input(replyInput)
    .output(replyOutput)
    .mutation(({ ctx, input }) =>
      replyToThread(ctx.db, ctx.services.google, refOf(ctx), input, ctx.clock.now()),
    ),
  link: member
    .input(linkThreadInput)
    .output(linkOutput)
    .mutation(({ ctx, input }) =>
      linkThread(ctx.db, ctx.services.google, refOf(ctx), input, ctx.clock.now()),
    ),
  unlink: member
    .input(threadInput)
    .output(unlinkOutput)
    .mutation(({ ctx, input }) => unlinkThread(ctx.db, refOf(ctx), input.threadId)),
  /** "Draft a job" from a message: nothing is saved (the AI switches apply). */
  draftJob: member
    .input(draftFromMessageInput)
    .output(draftFromMessageOutput)
    .mutation(({ ctx, input }) =>
      draftJobFromMessage(
        ctx.db,
        ctx.services.google,
        ctx.services.ai,
        refOf(ctx),
        input,
        ctx.clock.now(),
        rateLookup(ctx.db, ctx.services, ctx.clock.now()),
      ),
    ),
  /** The user confirmed the draft (as edited): the job is created by the one create-job path, and the thread linked to it. */
  createJobFromDraft: member
    .input(createFromDraftInput)
    .output(createJobFromDraftOutput)
    .mutation(async ({ ctx, input }) => {
      // The thread must be in the member's mailbox before anything is created.
      await google(() => ctx.services.google.getThread(refOf(ctx), input.threadId));
      const job = await createJob(
        ctx.db,
        ctx.services.mail,
        refOf(ctx),
        { ...input.job, source: "email" },
        ctx.clock.now(),
      );
      await linkThread(
        ctx.db,
        ctx.services.google,
        refOf(ctx),
        { threadId: input.threadId, jobId: job.id },
        ctx.clock.now(),
      );
      return { jobId: job.id, number: job.number };
    }),
  driveFolder: member
    .input(jobDriveInput)
    .output(driveFolderOutput)
    .query(({ ctx, input }) => getJobDriveFolder(ctx.db, refOf(ctx), input.jobId)),
  createDriveFolder: member
    .input(jobDriveInput)
    .output(driveFolderOutput)
    .mutation(({ ctx, input }) =>
      createJobDriveFolder(
        ctx.db,
        ctx.services.google,
        ctx.services.storage,
        refOf(ctx),
        input.jobId,
        ctx.clock.now(),
      ),
    ),
  syncDriveFolder: member
    .input(jobDriveInput)
    .output(driveFolderOutput)
    .mutation(async ({ ctx, input }) => {
      const view = await getJobDriveFolder(ctx.db, refOf(ctx), input.jobId);
      if (view.folder?.syncing)
        await syncJobDriveFolder(
          ctx.db,
          ctx.services.google,
          ctx.services.storage,
          input.jobId,
          ctx.clock.now(),
        );
      return getJobDriveFolder(ctx.db, refOf(ctx), input.jobId);
    }),
});
