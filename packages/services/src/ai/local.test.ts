import { describe, expect, it } from "vitest";
import { createGatedAi } from "./gate.ts";
import { createOffAi, createRulesAi, extractPurchaseOrderByRules } from "./local.ts";
import { AiDisabledError, AiUnavailableError } from "./types.ts";

const scope = { organizationId: "org_1", userId: "usr_1" };

describe("rule-based purchase-order extraction", () => {
  it("finds PO number, email, due date, currency and quantity lines", () => {
    const po = extractPurchaseOrderByRules(
      [
        "Purchase Order #PO-2026-117",
        "From: Buyer@Acme.example",
        "Please deliver by 15/04/2026.",
        "- 25 x Cable clip, PETG, €1.20 each",
        "Housing lid qty: 4",
        "3 pcs of Gear (PLA)",
        "Thanks!",
      ].join("\n"),
    );
    expect(po).toMatchObject({
      poNumber: "PO-2026-117",
      customerEmail: "buyer@acme.example",
      dueDate: "2026-04-15",
      currency: "EUR",
      source: "rules",
    });
    expect(po.items).toEqual([
      { description: "Cable clip, PETG", quantity: 25, material: "PETG", unitPriceMinor: 120 },
      { description: "Housing lid", quantity: 4, material: null, unitPriceMinor: null },
      { description: "Gear (PLA)", quantity: 3, material: "PLA", unitPriceMinor: null },
    ]);
  });

  it("returns empty fields rather than guesses", () => {
    expect(extractPurchaseOrderByRules("Hello, can you print something nice?")).toMatchObject({
      poNumber: null,
      customerEmail: null,
      dueDate: null,
      currency: null,
      items: [],
    });
  });
});

describe("local AI backends behind the gate", () => {
  it("rules: extracts locally, plans earliest-due-first, has no suggestions", async () => {
    const ai = createGatedAi(createRulesAi(), () => true);
    expect((await ai.extractPurchaseOrder(scope, { text: "10 x Bracket" })).items).toHaveLength(1);
    await expect(ai.suggest(scope, { task: "job-notes", context: "x" })).rejects.toBeInstanceOf(
      AiUnavailableError,
    );
    const plan = await ai.planSchedule(scope, {
      startAt: "2026-04-01T08:00:00Z",
      jobs: [
        { id: "late", durationMinutes: 120, dueAt: "2026-04-05T00:00:00Z", material: "PLA" },
        { id: "urgent", durationMinutes: 60, dueAt: "2026-04-01T10:00:00Z", material: "PLA" },
        { id: "resin", durationMinutes: 30, material: "resin" },
        { id: "tpu", durationMinutes: 30, material: "TPU" },
      ],
      printers: [
        { id: "fdm", materials: ["PLA", "PETG"] },
        { id: "sla", materials: ["Resin"], availableFrom: "2026-04-01T09:00:00Z" },
      ],
    });
    expect(plan.assignments).toEqual([
      {
        jobId: "urgent",
        printerId: "fdm",
        startAt: "2026-04-01T08:00:00.000Z",
        endAt: "2026-04-01T09:00:00.000Z",
      },
      {
        jobId: "late",
        printerId: "fdm",
        startAt: "2026-04-01T09:00:00.000Z",
        endAt: "2026-04-01T11:00:00.000Z",
      },
      {
        jobId: "resin",
        printerId: "sla",
        startAt: "2026-04-01T09:00:00.000Z",
        endAt: "2026-04-01T09:30:00.000Z",
      },
    ]);
    expect(plan.unassigned).toEqual(["tpu"]);
    expect(plan.source).toBe("rules");
  });

  it("rules: the switch still applies", async () => {
    const ai = createGatedAi(createRulesAi(), () => false);
    await expect(ai.extractPurchaseOrder(scope, { text: "10 x Bracket" })).rejects.toBeInstanceOf(
      AiDisabledError,
    );
  });

  it("off: every feature is unavailable", async () => {
    const ai = createGatedAi(createOffAi(), () => true);
    expect(ai.provider).toBe("off");
    await expect(ai.extractPurchaseOrder(scope, { text: "10 x Bracket" })).rejects.toBeInstanceOf(
      AiUnavailableError,
    );
  });
});
