// Tool calls in chat without the runtime: tool schemas offered in Workers AI's shape, calls run through the tools
// service, results fed back, at most maxRounds rounds, usage summed, failures handed to the model.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError, type AiMessage } from "@platform/shared";
import { context, fakeTools, scriptedAi, TOOL } from "./testing.ts";
import { MAX_CALLS_PER_ROUND, modelTool, offeredTools, resultText, runToolRounds } from "./tool-rounds.ts";

beforeEach(() => void vi.spyOn(console, "log").mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

const user: AiMessage[] = [{ role: "user", content: "use summarize: hello" }];
const summarizeCall = { response: "", tool_calls: [{ name: "summarize", arguments: { text: "hello" } }] };

describe("offeredTools", () => {
  it("offers every permitted tool in the function-calling shape", async () => {
    const { tools } = fakeTools();
    expect(await offeredTools(tools, context())).toEqual([modelTool(TOOL), modelTool({ ...TOOL, name: "kv_get" })]);
    expect(modelTool(TOOL)).toEqual({ type: "function", function: { name: "summarize", description: TOOL.description, parameters: TOOL.parameters } });
  });

  it("offers only named tools, and refuses a name the caller may not use", async () => {
    const { tools } = fakeTools();
    expect((await offeredTools(tools, context(), ["kv_get"])).map((t) => t.function.name)).toEqual(["kv_get"]);
    await expect(offeredTools(tools, context(), ["ingest_document"])).rejects.toThrow(/ingest_document/);
  });
});

describe("runToolRounds", () => {
  it("runs the model's tool call, feeds the result back, and returns the next answer", async () => {
    const { ai, calls } = scriptedAi([summarizeCall, { response: "Based on it: short." }]);
    const { tools, executed } = fakeTools();
    const events: [string, unknown][] = [];
    const out = await runToolRounds({ ai, tools }, context(), {}, user, [modelTool(TOOL)], (event, data) => events.push([event, data]));

    expect(calls[0]!.tools).toEqual([modelTool(TOOL)]);
    expect(executed).toEqual([{ tool: "summarize", args: { text: "hello" } }]);
    expect(events).toEqual([
      ["tool_call", { id: "call_1", name: "summarize", arguments: { text: "hello" } }],
      ["tool_result", { id: "call_1", name: "summarize", ok: true, result: { summary: "short" } }],
    ]);
    expect(calls[1]!.messages).toEqual([
      { role: "user", content: "use summarize: hello" },
      { role: "assistant", content: "", tool_calls: [{ id: "call_1", type: "function", function: { name: "summarize", arguments: '{"text":"hello"}' } }] },
      { role: "tool", tool_call_id: "call_1", name: "summarize", content: '{"summary":"short"}' },
    ]);
    expect(out.answer).toEqual({ content: "Based on it: short.", model: "@cf/test/chat" });
    // Two model rounds (15 each) and the tool's own tokens (5).
    expect(out.usage).toEqual({ prompt_tokens: 23, completion_tokens: 12, total_tokens: 35 });
  });

  it("stops after the tenant's maxRounds and leaves the answer to a call without tools", async () => {
    const { ai, calls } = scriptedAi([summarizeCall]);
    const { tools, executed } = fakeTools();
    const out = await runToolRounds({ ai, tools }, context({ tools: { maxRounds: 2 } }), {}, user, [modelTool(TOOL)], () => {});
    expect(calls).toHaveLength(2);
    expect(executed).toHaveLength(2);
    expect(out.answer).toBeUndefined();
    expect(out.calls.map((c) => c.id)).toEqual(["call_1", "call_2_1"]);
    expect(out.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_2_1" });
  });

  it("hands a failed tool call to the model as an error result", async () => {
    const { ai, calls } = scriptedAi([summarizeCall, { response: "Sorry, that failed." }]);
    const { tools } = fakeTools(async () => Promise.reject(new AppError("forbidden", 'tool "summarize" is not allowed for this tenant')));
    const events: [string, unknown][] = [];
    const out = await runToolRounds({ ai, tools }, context(), {}, user, [modelTool(TOOL)], (event, data) => events.push([event, data]));
    expect(events[1]).toEqual(["tool_result", { id: "call_1", name: "summarize", ok: false, error: { code: "forbidden", message: 'tool "summarize" is not allowed for this tenant' } }]);
    expect((calls[1]!.messages as AiMessage[]).at(-1)!.content).toBe('error forbidden: tool "summarize" is not allowed for this tenant');
    expect(out.answer?.content).toBe("Sorry, that failed.");
  });

  it("runs at most a few calls per round and refuses the rest", async () => {
    const many = { response: "", tool_calls: Array.from({ length: MAX_CALLS_PER_ROUND + 2 }, (_, i) => ({ name: "summarize", arguments: { text: `t${i}` } })) };
    const { ai } = scriptedAi([many, { response: "done" }]);
    const { tools, executed } = fakeTools();
    const out = await runToolRounds({ ai, tools }, context(), {}, user, [modelTool(TOOL)], () => {});
    expect(executed).toHaveLength(MAX_CALLS_PER_ROUND);
    expect(out.calls.filter((c) => !c.result.ok)).toHaveLength(2);
  });

  it("reads OpenAI-shaped tool calls with JSON string arguments", async () => {
    const openAi = { response: "", tool_calls: [{ id: "abc", type: "function", function: { name: "summarize", arguments: '{"text":"x"}' } }] } as unknown as typeof summarizeCall;
    const { ai } = scriptedAi([openAi, { response: "ok" }]);
    const { tools, executed } = fakeTools();
    const out = await runToolRounds({ ai, tools }, context(), {}, user, [modelTool(TOOL)], () => {});
    expect(executed).toEqual([{ tool: "summarize", args: { text: "x" } }]);
    expect(out.calls[0]!.id).toBe("abc");
  });
});

describe("resultText", () => {
  it("caps what the model reads of a large result", () => {
    const text = resultText({ id: "1", name: "x", ok: true, result: "y".repeat(20_000) });
    expect(text.length).toBe(8000);
    expect(text.endsWith("…")).toBe(true);
  });
});
