import { newId } from "@ktizo/db";
import type { AiFeature } from "@ktizo/services";
import { z } from "zod";
import { type Executor, type Page, paginationSchema, toPage } from "../kernel/index.ts";

/** What the workspace and the privacy center call each AI feature. */
export const AI_FEATURE_LABELS: Record<AiFeature, string> = {
  purchase_order_intake: "Purchase-order reading",
  suggestions: "Suggestions",
  schedule: "Schedule proposal",
  plan_steering: "Planner steering",
  late_explanation: "Late-job explanation",
  reply_draft: "Customer reply draft",
};

/** One AI request as the trail shows it: kinds of data, never content. */
export interface AiActivityItem {
  id: string;
  at: Date;
  feature: string;
  featureLabel: string;
  /** Who asked; null once their account was deleted. */
  userName: string | null;
  organizationName: string;
  dataKinds: string[];
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  outcome: "ok" | "error";
}

export const aiActivityInput = paginationSchema;

function labelOf(feature: string): string {
  return (AI_FEATURE_LABELS as Record<string, string>)[feature] ?? feature;
}

async function activity(
  db: Executor,
  where: { organizationId: string } | { userId: string },
  p: z.output<typeof paginationSchema>,
): Promise<Page<AiActivityItem>> {
  const base = db
    .selectFrom("aiRequestLog as r")
    .innerJoin("organization as o", "o.id", "r.organizationId")
    .leftJoin("user as u", "u.id", "r.userId")
    .where(
      "organizationId" in where ? "r.organizationId" : "r.userId",
      "=",
      "organizationId" in where ? where.organizationId : where.userId,
    );
  const [rows, count] = await Promise.all([
    base
      .select([
        "r.id",
        "r.createdAt",
        "r.feature",
        "u.name as userName",
        "o.name as organizationName",
        "r.dataKinds",
        "r.provider",
        "r.model",
        "r.inputTokens",
        "r.outputTokens",
        "r.tokensEstimated",
        "r.outcome",
      ])
      .orderBy("r.createdAt", "desc")
      .orderBy("r.id", "desc")
      .limit(p.pageSize)
      .offset((p.page - 1) * p.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return toPage(
    rows.map((r) => ({
      id: r.id,
      at: r.createdAt,
      feature: r.feature,
      featureLabel: labelOf(r.feature),
      userName: r.userName,
      organizationName: r.organizationName,
      dataKinds: r.dataKinds,
      provider: r.provider,
      model: r.model,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      tokensEstimated: r.tokensEstimated,
      outcome: r.outcome,
    })),
    Number(count.n),
    p,
  );
}

/** The organization's AI audit trail, newest first (organization admins). */
export function listOrganizationAiActivity(
  db: Executor,
  organizationId: string,
  p: z.output<typeof paginationSchema>,
): Promise<Page<AiActivityItem>> {
  return activity(db, { organizationId }, p);
}

/** The AI requests made for one person, in every shop (the privacy center). */
export function listMyAiActivity(
  db: Executor,
  userId: string,
  p: z.output<typeof paginationSchema>,
): Promise<Page<AiActivityItem>> {
  return activity(db, { userId }, p);
}

export const suggestionOutcomeInput = z.object({
  outcome: z.enum(["accepted", "dismissed"]),
  /** Accepted after the person changed the draft. */
  edited: z.boolean().default(false),
});

/** What became of a suggestion shown to someone (issue 15, req. 5): accepted or dismissed. */
export async function recordSuggestionOutcome(
  db: Executor,
  actor: { organizationId: string; userId: string },
  suggestion: { feature: AiFeature; subjectType: string; subjectId: string },
  input: z.output<typeof suggestionOutcomeInput>,
  now: Date,
): Promise<void> {
  await db
    .insertInto("aiSuggestionOutcome")
    .values({
      id: newId("aso"),
      organizationId: actor.organizationId,
      userId: actor.userId,
      feature: suggestion.feature,
      subjectType: suggestion.subjectType,
      subjectId: suggestion.subjectId,
      outcome: input.outcome,
      edited: input.outcome === "accepted" && input.edited,
      createdAt: now,
    })
    .execute();
}
