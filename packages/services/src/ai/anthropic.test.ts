import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ServiceInputError } from "../errors.ts";
import { parseServicesSettings } from "../settings.ts";
import { type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { createAnthropicAi } from "./anthropic.ts";
import { createGatedAi } from "./gate.ts";
import { AiDisabledError, type AiRequestRecord, type AiScope } from "./types.ts";

const API_KEY = "sk-ant-loopback-key-0123456789";
const scope: AiScope = { organizationId: "org_secret_42", userId: "usr_secret_7" };
let server: LoopbackServer;
let nextToolInput: unknown;

function toolAnswer(name: string, input: unknown) {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-test",
    content: [{ type: "tool_use", id: "toolu_1", name, input }],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10 },
  };
}

beforeAll(async () => {
  server = await startLoopback((req) => {
    const body = JSON.parse(req.text) as { tools: Array<{ name: string }> };
    return { body: toolAnswer(body.tools[0]!.name, nextToolInput) };
  });
});
afterAll(() => server.close());

const steerInput = {
  sentence: "keep the Prusa XL free on Friday and do Acme first",
  jobs: [{ id: "job_a", label: "#1042 Brackets", customer: "Acme Robotics", due: "2026-12-11T16:00:00Z" }],
  printers: [{ id: "prn_xl", name: "Prusa XL" }],
  now: "2026-12-07T09:00:00Z",
  timeZone: "Europe/Berlin",
  days: [
    { date: "2026-12-11", weekday: "Friday", start: "2026-12-10T23:00:00Z", end: "2026-12-11T23:00:00Z" },
  ],
};
const lateInput = {
  job: {
    label: "#1042 Brackets",
    due: "2026-12-11T16:00:00Z",
    plannedEnd: "2026-12-11T19:00:00Z",
    lateMinutes: 180,
    printerName: "Prusa XL",
  },
  facts: ["the printers that can make it are busy with work due earlier"],
  timeZone: "Europe/Berlin",
};
const replyInput = {
  shopName: "Gear Shop",
  orderSummary: "Order #7: 2 × Bracket, paid, in production",
  messages: [{ from: "customer" as const, body: "When will my brackets ship?" }],
};

const backend = () => createAnthropicAi({ apiKey: API_KEY, model: "claude-test-model", baseUrl: server.url });

describe("Anthropic AI against a loopback API", () => {
  it("sends only the document, with the key and model, and parses the structured answer", async () => {
    const checked: AiScope[] = [];
    const ai = createGatedAi(backend(), (s) => {
      checked.push(s);
      return true;
    });
    nextToolInput = {
      poNumber: "PO-1001",
      customerName: "Ada Buyer",
      customerCompany: "Acme",
      customerEmail: "buyer@acme.test",
      customerPhone: "+49 30 1234 5678",
      dueDate: "2026-04-01",
      currency: "EUR",
      items: [{ description: "Bracket", quantity: 20, material: "PETG", unitPriceMinor: 350 }],
      notes: null,
      rush: true,
    };
    const before = server.received.length;
    const po = await ai.extractPurchaseOrder(scope, { text: "PO-1001: 20 x Bracket in PETG by 2026-04-01" });
    expect(po).toEqual({ ...(nextToolInput as object), source: "anthropic" });
    expect(checked).toEqual([scope]);

    const req = server.received[before]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/messages");
    // @anthropic-ai/sdk 1.x sends the API key as a bearer token (0.x used x-api-key).
    expect(req.headers.authorization ?? `Bearer ${req.headers["x-api-key"]}`).toBe(`Bearer ${API_KEY}`);
    expect(req.headers["anthropic-version"]).toBeDefined();
    const body = JSON.parse(req.text) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      "max_tokens",
      "messages",
      "model",
      "system",
      "tool_choice",
      "tools",
    ]);
    expect(body.model).toBe("claude-test-model");
    expect(body.tool_choice).toEqual({ type: "tool", name: "purchase_order" });
    const [tool] = body.tools as Array<{ name: string; input_schema: Record<string, unknown> }>;
    expect(tool?.input_schema).toMatchObject({ type: "object", required: expect.arrayContaining(["items"]) });
    expect(tool?.input_schema).not.toHaveProperty("$schema");
    expect(req.text).toContain("20 x Bracket in PETG");
    // Who asked never reaches the provider.
    expect(req.text).not.toContain("org_secret_42");
    expect(req.text).not.toContain("usr_secret_7");
  });

  it("asks by default for a model the SDK does not warn about (claude-sonnet-4-5 reached its end of life)", async () => {
    const { ANTHROPIC_MODEL } = parseServicesSettings({});
    const warnings: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(" "));
    });
    const before = server.received.length;
    try {
      nextToolInput = { suggestions: ["It ships Monday."] };
      const ai = createAnthropicAi({ apiKey: API_KEY, model: ANTHROPIC_MODEL, baseUrl: server.url });
      await ai.suggest({ task: "customer-reply", context: "Where is my order?", count: 1 });
      // The check can fail: the end-of-life model draws the SDK's warning.
      const old = createAnthropicAi({ apiKey: API_KEY, model: "claude-sonnet-4-5", baseUrl: server.url });
      await old.suggest({ task: "customer-reply", context: "Where is my order?", count: 1 });
    } finally {
      warn.mockRestore();
    }
    expect((JSON.parse(server.received[before]!.text) as { model: string }).model).toBe(ANTHROPIC_MODEL);
    expect(warnings.filter((w) => w.includes(ANTHROPIC_MODEL))).toEqual([]);
    expect(warnings.some((w) => w.includes("'claude-sonnet-4-5' is deprecated"))).toBe(true);
  });

  it("makes no request at all when the switch is off", async () => {
    const before = server.received.length;
    const ai = createGatedAi(backend(), async () => false);
    await expect(ai.extractPurchaseOrder(scope, { text: "10 x Gear" })).rejects.toBeInstanceOf(
      AiDisabledError,
    );
    await expect(
      ai.suggest(scope, { task: "customer-reply", context: "Where is my order?" }),
    ).rejects.toBeInstanceOf(AiDisabledError);
    await expect(
      ai.planSchedule(scope, {
        startAt: "2026-04-01T08:00:00Z",
        jobs: [{ id: "j1", durationMinutes: 60 }],
        printers: [{ id: "p1" }],
      }),
    ).rejects.toBeInstanceOf(AiDisabledError);
    await expect(ai.steerPlan(scope, steerInput)).rejects.toBeInstanceOf(AiDisabledError);
    await expect(ai.explainLate(scope, lateInput)).rejects.toBeInstanceOf(AiDisabledError);
    await expect(ai.draftReply(scope, replyInput)).rejects.toBeInstanceOf(AiDisabledError);
    expect(server.received.length).toBe(before);
  });

  it("refuses a missing scope or empty input before any request", async () => {
    const before = server.received.length;
    const ai = createGatedAi(backend(), () => true);
    await expect(
      ai.extractPurchaseOrder({ organizationId: "", userId: "u" }, { text: "x" }),
    ).rejects.toBeInstanceOf(ServiceInputError);
    await expect(ai.extractPurchaseOrder(scope, { text: "  " })).rejects.toThrow(/text/);
    await expect(ai.suggest(scope, { task: "customer-reply", context: "" })).rejects.toThrow(/context/);
    expect(server.received.length).toBe(before);
  });

  it("returns suggestions and checks a schedule names only known jobs and printers", async () => {
    const ai = createGatedAi(backend(), () => true);
    nextToolInput = { suggestions: ["Thank you, it ships Monday."] };
    expect(
      await ai.suggest(scope, { task: "customer-reply", context: "Where is my order?", count: 1 }),
    ).toEqual({
      suggestions: ["Thank you, it ships Monday."],
    });
    const input = {
      startAt: "2026-04-01T08:00:00Z",
      jobs: [{ id: "j1", durationMinutes: 60 }],
      printers: [{ id: "p1" }],
    };
    nextToolInput = {
      assignments: [
        { jobId: "j1", printerId: "p1", startAt: "2026-04-01T08:00:00Z", endAt: "2026-04-01T09:00:00Z" },
      ],
      unassigned: [],
      notes: "ok",
    };
    expect((await ai.planSchedule(scope, input)).assignments).toHaveLength(1);
    nextToolInput = {
      assignments: [
        { jobId: "j9", printerId: "p1", startAt: "2026-04-01T08:00:00Z", endAt: "2026-04-01T09:00:00Z" },
      ],
      unassigned: [],
      notes: "",
    };
    await expect(ai.planSchedule(scope, input)).rejects.toThrow(/do not exist/);
  });

  it("treats an answer that does not match the schema as a provider error", async () => {
    const ai = createGatedAi(backend(), () => true);
    nextToolInput = { items: "twenty brackets" };
    await expect(ai.extractPurchaseOrder(scope, { text: "20 brackets" })).rejects.toThrow(/did not match/);
  });

  it("steers: sends the sentence, jobs, printers and days (not who asks), drops constraints naming unknown ids, and records the provider's token counts", async () => {
    const records: AiRequestRecord[] = [];
    const ai = createGatedAi(backend(), () => true, {
      clock: { now: () => new Date("2026-12-07T09:00:00Z") },
      record: async (r) => {
        records.push(r);
      },
    });
    nextToolInput = {
      constraints: [
        {
          kind: "keep_free",
          printerId: "prn_xl",
          from: "2026-12-10T23:00:00Z",
          to: "2026-12-11T23:00:00Z",
          explanation: "Nothing on the Prusa XL on Friday.",
        },
        { kind: "first", jobIds: ["job_a"], explanation: "Acme's brackets go first." },
        { kind: "on_printer", jobId: "job_a", printerId: "prn_ghost", explanation: "On the ghost printer." },
      ],
      notUnderstood: [],
    };
    const before = server.received.length;
    const result = await ai.steerPlan(scope, steerInput);
    expect(result.source).toBe("anthropic");
    expect(result.constraints.map((c) => c.kind)).toEqual(["keep_free", "first"]);
    expect(result.messages).toEqual([
      'Left out "On the ghost printer.": it names a printer this shop does not have.',
    ]);
    const req = server.received[before]!;
    const body = JSON.parse(req.text) as { tool_choice: unknown; messages: Array<{ content: string }> };
    expect(body.tool_choice).toEqual({ type: "tool", name: "plan_constraints" });
    const content = body.messages[0]!.content;
    expect(content).toContain(
      "<instruction>\nkeep the Prusa XL free on Friday and do Acme first\n</instruction>",
    );
    expect(content).toContain('"name":"Prusa XL"');
    expect(content).toContain('"weekday":"Friday"');
    expect(req.text).not.toContain("org_secret_42");
    expect(records).toEqual([
      {
        organizationId: "org_secret_42",
        userId: "usr_secret_7",
        at: new Date("2026-12-07T09:00:00Z"),
        feature: "plan_steering",
        dataKinds: [
          "instruction_sentence",
          "job_titles",
          "customer_names",
          "due_dates",
          "printer_names",
          "time_zone",
        ],
        provider: "anthropic",
        model: "claude-test",
        inputTokens: 10,
        outputTokens: 10,
        tokensEstimated: false,
        outcome: "ok",
        errorKind: null,
      },
    ]);

    // A malformed answer still counts as a request: recorded as an error with its tokens.
    nextToolInput = { constraints: [{ kind: "sooner" }], notUnderstood: [] };
    await expect(ai.steerPlan(scope, steerInput)).rejects.toThrow(/did not match/);
    expect(records.at(-1)).toMatchObject({ outcome: "error", errorKind: "ProviderError", inputTokens: 10 });
  });

  it("explains a late job from the planner's facts and drafts a reply from the thread", async () => {
    const ai = createGatedAi(backend(), () => true);
    nextToolInput = { explanation: "Both printers that can print it are busy with earlier-due work." };
    let before = server.received.length;
    expect(await ai.explainLate(scope, lateInput)).toEqual({
      explanation: "Both printers that can print it are busy with earlier-due work.",
      source: "anthropic",
    });
    let body = JSON.parse(server.received[before]!.text) as {
      tool_choice: unknown;
      system: string;
      messages: Array<{ content: string }>;
    };
    expect(body.tool_choice).toEqual({ type: "tool", name: "late_explanation" });
    expect(body.system).toContain("Europe/Berlin");
    expect(body.messages[0]!.content).toContain("busy with work due earlier");

    nextToolInput = { reply: "Hello! Your brackets are in production and ship this week." };
    before = server.received.length;
    expect(await ai.draftReply(scope, replyInput)).toEqual({
      reply: "Hello! Your brackets are in production and ship this week.",
      source: "anthropic",
    });
    body = JSON.parse(server.received[before]!.text) as typeof body;
    expect(body.tool_choice).toEqual({ type: "tool", name: "reply_draft" });
    expect(body.system).toContain('"Gear Shop"');
    expect(body.messages[0]!.content).toContain("When will my brackets ship?");
    expect(body.messages[0]!.content).toContain("<order>\nOrder #7");
  });
});
