// Tool and audit request schemas at the gateway, and the tool-call parts of the AI path and chat contracts.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { parseToolCalls, runChat, sumUsage, type AiRunner } from "./ai/index.ts";
import { estimateChatTurnTokens, OpenAIChatRequestSchema } from "./chat-contract.ts";
import { TenantConfigSchema, tenantSettings } from "./tenant.ts";
import { AuditQuerySchema, ToolExecuteRequestSchema } from "./tools-contract.ts";

const tenant = (tools?: { maxRounds: number }) => tenantSettings(v.parse(TenantConfigSchema, { id: "t", name: "t", keys: [], models: { chat: "@cf/m" }, ...(tools ? { tools } : {}) }));

describe("ToolExecuteRequestSchema", () => {
  it("takes a tool name and optional object args", () => {
    expect(v.parse(ToolExecuteRequestSchema, { tool: "summarize" })).toEqual({ tool: "summarize", args: {} });
    expect(v.is(ToolExecuteRequestSchema, { tool: "Summarize", args: {} })).toBe(false);
    expect(v.is(ToolExecuteRequestSchema, { tool: "x", args: [] })).toBe(false);
    expect(v.is(ToolExecuteRequestSchema, { tool: "x", args: {}, extra: 1 })).toBe(false);
  });
});

describe("AuditQuerySchema", () => {
  it("reads limit as a number and checks outcome and cursor", () => {
    expect(v.parse(AuditQuerySchema, { limit: "5", outcome: "denied", tool: "kv_get", cursor: "12" })).toEqual({ limit: 5, outcome: "denied", tool: "kv_get", cursor: "12" });
    expect(v.is(AuditQuerySchema, { outcome: "maybe" })).toBe(false);
    expect(v.is(AuditQuerySchema, { limit: "101" })).toBe(false);
  });
});

describe("tool calls on the AI path", () => {
  it("reads Workers AI's and OpenAI's tool call shapes", () => {
    expect(parseToolCalls({ tool_calls: [{ name: "a", arguments: { x: 1 } }, { name: "b" }] })).toEqual([
      { id: "call_1", name: "a", arguments: { x: 1 } },
      { id: "call_2", name: "b", arguments: {} },
    ]);
    expect(parseToolCalls({ choices: [{ message: { tool_calls: [{ id: "c9", type: "function", function: { name: "a", arguments: '{"x":2}' } }] } }] })).toEqual([{ id: "c9", name: "a", arguments: { x: 2 } }]);
    expect(parseToolCalls({ tool_calls: [{ name: "a", arguments: "not json" }, { arguments: {} }] })).toEqual([{ id: "call_1", name: "a", arguments: {} }]);
  });

  it("sends tools and tool messages to the model and returns its calls", async () => {
    const seen: Record<string, unknown>[] = [];
    const ai: AiRunner = { run: async (_m, inputs) => (seen.push(inputs), { response: "", tool_calls: [{ name: "a", arguments: {} }] }) };
    const tools = [{ type: "function" as const, function: { name: "a", description: "d", parameters: { type: "object", properties: {}, required: [] } } }];
    const messages = [
      { role: "user", content: "hi" },
      { role: "tool", content: "{}", name: "a", tool_call_id: "call_1" },
    ];
    const ctx = { tenantId: "t", traceId: "x", route: "/v1/chat", tenant: tenant() };
    const result = await runChat({ ai, ctx, service: "chat" }, { messages, tools });
    expect(seen[0]).toMatchObject({ tools, messages });
    expect(result.toolCalls).toEqual([{ id: "call_1", name: "a", arguments: {} }]);
    expect(result.usage.prompt_tokens).toBeGreaterThan(10);
  });

  it("sums usage", () => {
    const u = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
    expect(sumUsage(u, u, u)).toEqual({ prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 });
  });
});

describe("chat turn reservations", () => {
  const messages = [{ role: "user" as const, content: "x".repeat(400) }];

  it("reserves more for rag and much more for every tool round", () => {
    const plain = estimateChatTurnTokens(tenant(), { messages, max_tokens: 100 });
    const rag = estimateChatTurnTokens(tenant(), { messages, max_tokens: 100, rag: true });
    const tools2 = estimateChatTurnTokens(tenant({ maxRounds: 2 }), { messages, max_tokens: 100, tools: {} });
    const tools3 = estimateChatTurnTokens(tenant({ maxRounds: 3 }), { messages, max_tokens: 100, tools: {} });
    expect(plain).toBe(200);
    expect(rag).toBeGreaterThan(plain);
    expect(tools2).toBeGreaterThan(3 * plain);
    expect(tools3).toBeGreaterThan(tools2);
  });
});

describe("OpenAI tools", () => {
  it("accepts function tools by name and refuses other shapes", () => {
    const base = { model: "m", messages: [{ role: "user", content: "hi" }] };
    expect(v.is(OpenAIChatRequestSchema, { ...base, tools: [{ type: "function", function: { name: "summarize", parameters: {} } }], tool_choice: "auto" })).toBe(true);
    expect(v.is(OpenAIChatRequestSchema, { ...base, tools: [{ type: "code_interpreter" }] })).toBe(false);
    expect(v.is(OpenAIChatRequestSchema, { ...base, tools: [{ type: "function", function: { name: "Bad Name" } }] })).toBe(false);
  });
});
