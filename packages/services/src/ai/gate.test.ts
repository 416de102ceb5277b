import { describe, expect, it } from "vitest";
import { fixedClock } from "../clock.ts";
import { createGatedAi } from "./gate.ts";
import { createRulesAi, LOCAL_RULES_MODEL } from "./local.ts";
import { AiDisabledError, type AiRequestRecord, type AiService } from "./types.ts";

const scope = { organizationId: "org_1", userId: "usr_1" };
const clock = fixedClock("2026-12-07T09:00:00Z");
const days = [
  {
    date: "2026-12-07",
    weekday: "Monday",
    start: "2026-12-06T23:00:00.000Z",
    end: "2026-12-07T23:00:00.000Z",
  },
];

/** One call of every AI feature, with input a shop would send. */
const everyFeature: Record<string, (ai: AiService) => Promise<unknown>> = {
  purchase_order_intake: (ai) => ai.extractPurchaseOrder(scope, { text: "PO-1: 2 x Gear in PLA" }),
  suggestions: (ai) => ai.suggest(scope, { task: "job-notes", context: "A gear" }),
  schedule: (ai) =>
    ai.planSchedule(scope, {
      startAt: "2026-12-07T09:00:00Z",
      jobs: [{ id: "j1", durationMinutes: 60, dueAt: "2026-12-08T09:00:00Z" }],
      printers: [{ id: "p1" }],
    }),
  plan_steering: (ai) =>
    ai.steerPlan(scope, {
      sentence: "Acme first",
      jobs: [{ id: "j1", label: "#1 Brackets", customer: "Acme", due: null }],
      printers: [{ id: "p1", name: "Prusa XL" }],
      now: "2026-12-07T09:00:00Z",
      timeZone: "Europe/Berlin",
      days,
    }),
  late_explanation: (ai) =>
    ai.explainLate(scope, {
      job: {
        label: "#1 Brackets",
        due: "2026-12-07T12:00:00Z",
        plannedEnd: "2026-12-07T15:00:00Z",
        lateMinutes: 180,
        printerName: "Prusa XL",
      },
      facts: ["the printers that can make it are busy with work due earlier"],
      timeZone: "Europe/Berlin",
    }),
  reply_draft: (ai) =>
    ai.draftReply(scope, {
      shopName: "Gear Shop",
      orderSummary: "2 items, paid",
      messages: [{ from: "customer", body: "When will it ship?" }],
    }),
};

function recordingAi(allowed: boolean) {
  const records: AiRequestRecord[] = [];
  let calls = 0;
  const backend = createRulesAi();
  const counted = Object.fromEntries(
    Object.entries(backend).map(([k, v]) => [
      k,
      typeof v === "function"
        ? (...args: unknown[]) => {
            calls++;
            return (v as (...a: unknown[]) => unknown)(...args);
          }
        : v,
    ]),
  ) as unknown as typeof backend;
  const ai = createGatedAi(counted, () => allowed, {
    clock,
    record: async (r) => {
      records.push(r);
    },
  });
  return { ai, records, calls: () => calls };
}

describe("the AI audit trail (issue 15, req. 6)", () => {
  it("records one request per AI feature: who, when, feature, kinds of data, model, tokens, outcome", async () => {
    const { ai, records } = recordingAi(true);
    for (const [feature, call] of Object.entries(everyFeature)) {
      const before = records.length;
      await call(ai).catch(() => undefined);
      expect(records.length, feature).toBe(before + 1);
      expect(records.at(-1)).toMatchObject({
        organizationId: "org_1",
        userId: "usr_1",
        at: new Date("2026-12-07T09:00:00Z"),
        feature,
        provider: "rules",
        model: LOCAL_RULES_MODEL,
      });
    }
    expect(records.map((r) => r.feature).sort()).toEqual(Object.keys(everyFeature).sort());
    const byFeature = new Map(records.map((r) => [r.feature, r]));
    expect(byFeature.get("purchase_order_intake")?.dataKinds).toEqual(["purchase_order_text"]);
    expect(byFeature.get("plan_steering")?.dataKinds).toEqual([
      "instruction_sentence",
      "job_titles",
      "customer_names",
      "printer_names",
      "time_zone",
    ]);
    expect(byFeature.get("reply_draft")?.dataKinds).toEqual([
      "customer_message_text",
      "order_summary",
      "shop_name",
    ]);
    // The local rules estimate their counts and say so; a failed request is recorded as an error.
    expect(byFeature.get("plan_steering")).toMatchObject({ outcome: "ok", tokensEstimated: true });
    expect(byFeature.get("plan_steering")?.inputTokens).toBeGreaterThan(0);
    expect(byFeature.get("suggestions")).toMatchObject({
      outcome: "error",
      errorKind: "AiUnavailableError",
      inputTokens: 0,
    });
    // Kinds, never content: nothing the shop typed is in the trail.
    expect(JSON.stringify(records)).not.toMatch(/Acme|Brackets|ship|Gear/);
  });

  it("records nothing and calls no backend when AI is switched off", async () => {
    const { ai, records, calls } = recordingAi(false);
    for (const call of Object.values(everyFeature))
      await expect(call(ai)).rejects.toBeInstanceOf(AiDisabledError);
    expect(records).toEqual([]);
    expect(calls()).toBe(0);
  });

  it("records nothing for input refused before any request", async () => {
    const { ai, records, calls } = recordingAi(true);
    await expect(ai.steerPlan(scope, { sentence: "x" } as never)).rejects.toThrow();
    await expect(ai.draftReply(scope, { shopName: "S", orderSummary: "o", messages: [] })).rejects.toThrow(
      /messages/,
    );
    expect(records).toEqual([]);
    expect(calls()).toBe(0);
  });
});
