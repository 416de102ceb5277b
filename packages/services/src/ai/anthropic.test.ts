import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceInputError } from "../errors.ts";
import { type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { createAnthropicAi } from "./anthropic.ts";
import { createGatedAi } from "./gate.ts";
import { AiDisabledError, type AiScope } from "./types.ts";

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
});
