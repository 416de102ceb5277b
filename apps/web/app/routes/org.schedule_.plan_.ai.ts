import { actionErrors } from "@ktizo/ui";
import { type ActionFunctionArgs, json } from "@remix-run/node";
import { readSteering } from "~/components/shop/plan-steering.server";
import { requireOrg } from "~/lib/org.server";

/**
 * The plan page's AI help (issue 15, req. 4), asked from the page without reloading it: "steer" turns
 * the sentence into constraints for the person to confirm (nothing is planned), "explain" says why a
 * job is late in the plan with the page's confirmed constraints. Both refuse when AI is switched off.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const allowMoves = form.get("moves") === "1";
  try {
    if (intent === "steer") {
      const steering = await org.api.ai.plan.steer({
        sentence: String(form.get("sentence") ?? ""),
        allowMoves,
      });
      return json({
        intent,
        steering: {
          ...steering,
          // As the page's `c` parameters: ISO times, with the explanation the person saw.
          constraints: steering.constraints.map((c) => ({
            explanation: c.explanation,
            param: JSON.stringify({ ...c.constraint, explanation: c.explanation }),
          })),
        },
        explanation: null,
        formError: null,
        fieldErrors: {} as Record<string, string>,
      });
    }
    if (intent === "explain") {
      const explanation = await org.api.ai.plan.explainLate({
        jobId: String(form.get("jobId") ?? ""),
        allowMoves,
        constraints: readSteering(form.getAll("c")).constraints,
      });
      return json({ intent, steering: null, explanation, formError: null, fieldErrors: {} });
    }
    return json(
      { intent, steering: null, explanation: null, formError: "Unknown request", fieldErrors: {} },
      { status: 400 },
    );
  } catch (error) {
    return json(
      {
        intent,
        steering: null,
        explanation: null,
        ...actionErrors(
          error,
          intent === "explain" ? "The job could not be explained." : "The planner could not be steered.",
        ),
      },
      { status: 400 },
    );
  }
}
