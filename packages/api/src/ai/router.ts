import { tracked } from "../privacy/analytics.ts";
import { createIsAiAllowed } from "../privacy/settings.ts";
import { orgProcedure, router, signedInProcedure } from "../trpc.ts";
import {
  explainLateOutput,
  replyOutcomeOutput,
  steerPlanOutput,
  suggestReplyOutput,
} from "../workflows/ai-assist-outputs.ts";
import {
  explainLateInput,
  explainLateJob,
  steerPlanFromSentence,
  steerPlanInput,
} from "../workflows/plan-steering.ts";
import {
  orderRef,
  recordReplyOutcome,
  replyOutcomeInput,
  suggestOrderReply,
} from "../workflows/reply-suggestion.ts";
import { aiActivityInput, listMyAiActivity, listOrganizationAiActivity } from "./activity.ts";
import { intakePurchaseOrder, intakePurchaseOrderInput } from "./intake.ts";
import { aiActivityOutput, aiAvailableOutput, intakePurchaseOrderOutput } from "./outputs.ts";

const actorOf = (ctx: { org: { id: string }; session: { userId: string } }) => ({
  organizationId: ctx.org.id,
  userId: ctx.session.userId,
});

/** AI-assisted features of the shop workspace; every call passes the AI switches (P13). */
export const aiRouter = router({
  /**
   * Are AI features offered to this person in this shop (the same switches the AI gate asks)? Pages
   * leave AI boxes and buttons out when not; the procedures refuse on their own either way.
   */
  available: orgProcedure("member")
    .output(aiAvailableOutput)
    .query(async ({ ctx }) => ({
      available: (await createIsAiAllowed(ctx.db)(actorOf(ctx))) === true,
      provider: ctx.services.ai.provider,
    })),

  /** Pasted purchase order → a draft job (nothing is saved). */
  intakePurchaseOrder: orgProcedure("member")
    .input(intakePurchaseOrderInput)
    .output(intakePurchaseOrderOutput)
    .mutation(async ({ ctx, input }) =>
      tracked(
        ctx,
        "ai_intake_used",
        await intakePurchaseOrder(ctx.db, ctx.services.ai, actorOf(ctx), input, ctx.clock.now()),
      ),
    ),

  /** Steering the planner (issue 15, req. 4): nothing is planned or saved. */
  plan: router({
    /** A sentence → proposed constraints for the person to confirm. */
    steer: orgProcedure("member")
      .input(steerPlanInput)
      .output(steerPlanOutput)
      .mutation(({ ctx, input }) =>
        steerPlanFromSentence(ctx.db, ctx.services.ai, actorOf(ctx), input, ctx.clock.now()),
      ),
    /** Why a job is late in the plan with these options, in plain words. */
    explainLate: orgProcedure("member")
      .input(explainLateInput)
      .output(explainLateOutput)
      .mutation(({ ctx, input }) =>
        explainLateJob(ctx.db, ctx.services.ai, actorOf(ctx), input, ctx.clock.now()),
      ),
  }),

  /** A suggested reply to a customer's message on a marketplace order (issue 15, req. 5). */
  reply: router({
    suggest: orgProcedure("member")
      .input(orderRef)
      .output(suggestReplyOutput)
      .mutation(({ ctx, input }) =>
        suggestOrderReply(ctx.db, ctx.services.ai, actorOf(ctx), input, ctx.clock.now()),
      ),
    /** The draft was sent (maybe edited) or dismissed. */
    outcome: orgProcedure("member")
      .input(replyOutcomeInput)
      .output(replyOutcomeOutput)
      .mutation(({ ctx, input }) => recordReplyOutcome(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),

  /** The AI audit trail (issue 15, req. 6). */
  activity: router({
    /** Every AI request made in the organization (admins). */
    organization: orgProcedure("admin")
      .input(aiActivityInput)
      .output(aiActivityOutput)
      .query(({ ctx, input }) => listOrganizationAiActivity(ctx.db, ctx.org.id, input)),
    /** The AI requests made for the signed-in person, in every shop (the privacy center). */
    mine: signedInProcedure
      .input(aiActivityInput)
      .output(aiActivityOutput)
      .query(({ ctx, input }) => listMyAiActivity(ctx.db, ctx.session.userId, input)),
  }),
});
