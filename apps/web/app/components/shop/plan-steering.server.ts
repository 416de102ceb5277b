import { z } from "zod";

/**
 * Confirmed steering travels in the plan page's URL (`?c=<json>` once per constraint), so the proposal,
 * its late-job explanations and the accept form all see the same constraints, and a reload keeps them.
 * The API validates them again (unknown jobs or printers are refused there).
 */
const confirmedSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("first"), jobIds: z.array(z.string().max(100)).min(1).max(50) }),
  z.object({
    kind: z.literal("keep_free"),
    printerId: z.string().max(100),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  }),
  z.object({
    kind: z.literal("not_before"),
    jobId: z.string().max(100),
    at: z.iso.datetime({ offset: true }),
  }),
  z.object({ kind: z.literal("on_printer"), jobId: z.string().max(100), printerId: z.string().max(100) }),
]);
const paramSchema = z.object({ explanation: z.string().max(500) }).and(confirmedSchema);

export type ConfirmedConstraint = z.infer<typeof confirmedSchema>;

export interface Steering {
  constraints: ConfirmedConstraint[];
  /** What the person confirmed, in plain words, with the raw parameter (to carry it along). */
  confirmed: Array<{ explanation: string; param: string }>;
}

/** The confirmed constraints of a request (`c` parameters, or form fields of that name); malformed ones are ignored. */
export function readSteering(values: ReadonlyArray<FormDataEntryValue>): Steering {
  const steering: Steering = { constraints: [], confirmed: [] };
  for (const value of values.slice(0, 50)) {
    if (typeof value !== "string") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      continue;
    }
    const result = paramSchema.safeParse(parsed);
    if (!result.success) continue;
    const { explanation, ...constraint } = result.data;
    steering.constraints.push(constraint as ConfirmedConstraint);
    steering.confirmed.push({ explanation, param: value });
  }
  return steering;
}

type Api = Awaited<ReturnType<typeof import("~/lib/org.server").requireOrg>>["api"];

/**
 * The plan page's proposal with the confirmed steering of its URL, and whether AI is offered here.
 * Steering the plan can no longer follow (a job was scheduled meanwhile) is dropped with a message, and
 * the plan is proposed without it: the planner never depends on the AI.
 */
export async function proposeSteered(api: Api, allowMoves: boolean, params: ReadonlyArray<string>) {
  const read = readSteering(params);
  const ai = await api.ai.available();
  if (read.constraints.length > 0) {
    try {
      const proposal = await api.job.plan.propose({ allowMoves, constraints: read.constraints });
      return { proposal, ai, steering: { confirmed: read.confirmed, error: null } };
    } catch (error) {
      const why = error instanceof Error ? error.message : "it no longer fits the shop";
      const proposal = await api.job.plan.propose({ allowMoves });
      return {
        proposal,
        ai,
        steering: { confirmed: [], error: `Your steering was left out: ${why}` },
      };
    }
  }
  const proposal = await api.job.plan.propose({ allowMoves });
  return { proposal, ai, steering: { confirmed: read.confirmed, error: null as string | null } };
}
