import { z } from "zod";
import { idSchema } from "../shop/common.ts";
import { orgProcedure, router } from "../trpc.ts";
import {
  createEstimate,
  createEstimateInput,
  getEstimate,
  listEstimates,
  listEstimatesInput,
  reviseEstimate,
  reviseEstimateInput,
} from "./estimates.ts";
import { getBillingSettings, updateBillingSettings, updateBillingSettingsInput } from "./settings.ts";

const member = orgProcedure("member");
const admin = orgProcedure("admin");
const byId = z.object({ id: idSchema });
const actorOf = (ctx: { org: { id: string }; session: { userId: string } }) => ({
  organizationId: ctx.org.id,
  userId: ctx.session.userId,
});

/** Getting paid for shop work: estimates, invoices, payments (issue 12). */
export const billingRouter = router({
  settings: router({
    get: member.input(z.object({})).query(({ ctx }) => getBillingSettings(ctx.db, ctx.org.id)),
    /** Tax rates, numbering, terms, reminders and retention are the shop's policy: admins and owners. */
    update: admin
      .input(updateBillingSettingsInput)
      .mutation(({ ctx, input }) => updateBillingSettings(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  estimates: router({
    list: member
      .input(listEstimatesInput)
      .query(({ ctx, input }) => listEstimates(ctx.db, ctx.org.id, input)),
    get: member.input(byId).query(({ ctx, input }) => getEstimate(ctx.db, ctx.org.id, input.id)),
    create: member
      .input(createEstimateInput)
      .mutation(({ ctx, input }) => createEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    revise: member
      .input(reviseEstimateInput)
      .mutation(({ ctx, input }) => reviseEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
});
