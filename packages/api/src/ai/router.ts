import { tracked } from "../privacy/analytics.ts";
import { orgProcedure, router } from "../trpc.ts";
import { intakePurchaseOrder, intakePurchaseOrderInput } from "./intake.ts";
import { intakePurchaseOrderOutput } from "./outputs.ts";

/** AI-assisted features of the shop workspace; every call passes the AI switches (P13). */
export const aiRouter = router({
  /** Pasted purchase order → a draft job (nothing is saved). */
  intakePurchaseOrder: orgProcedure("member")
    .input(intakePurchaseOrderInput)
    .output(intakePurchaseOrderOutput)
    .mutation(async ({ ctx, input }) =>
      tracked(
        ctx,
        "ai_intake_used",
        await intakePurchaseOrder(
          ctx.db,
          ctx.services.ai,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
          ctx.clock.now(),
        ),
      ),
    ),
});
