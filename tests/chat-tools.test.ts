// Tool calls inside chat, end to end: the local model twin calls a tool when the user names it (its documented
// rule), the chat service runs it through the tools service, streams tool_call and tool_result, then the answer.
import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { chatRequest, readEvents } from "./chat-sse.ts";
import { call, TINY_KEY, gatewayUrl, postJson, testTenant, twinOnly, uniqueId } from "./helpers.ts";

const KEY = testTenant("test-chat-tools").key;

const TEXT = "Workers run JavaScript at the edge close to users";

describe("POST /v1/chat with tools: true", () => {
  twinOnly.it("streams tool_call, tool_result, then the answer built on the result", async () => {
    const sessionId = uniqueId("tools");
    const traceId = `chat-tools-${crypto.randomUUID()}`;
    const response = await chatRequest({ sessionId, message: `Please use summarize: ${TEXT}`, tools: true }, KEY, { headers: { "x-trace-id": traceId } });
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("meta");
    const callAt = names.indexOf("tool_call");
    const resultAt = names.indexOf("tool_result");
    const messageAt = names.indexOf("message");
    expect(callAt).toBeGreaterThan(0);
    expect(resultAt).toBeGreaterThan(callAt);
    expect(messageAt).toBeGreaterThan(resultAt);
    expect(names.slice(-2)).toEqual(["usage", "done"]);

    const toolCall = events[callAt]!.data;
    expect(toolCall).toEqual({ id: expect.any(String), name: "summarize", arguments: { text: TEXT } });
    expect(events[resultAt]!.data).toMatchObject({ id: toolCall.id, name: "summarize", ok: true, result: { summary: expect.any(String) } });
    const answer = events.filter((e) => e.event === "message").map((e) => e.data.content).join("");
    expect(answer).toMatch(/^Based on the summarize result: /);

    // Two model rounds and the tool's own model call are all in the usage the gateway settles.
    const usage = events.at(-2)!.data as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.prompt_tokens).toBeGreaterThan(200);

    // The call went through the tools service: audited under the chat route, with the chat's trace id.
    const audit = await call<{ entries: { traceId: string; route: string; outcome: string; tool: string }[] }>("/v1/audit?tool=summarize&limit=100", { key: KEY });
    expect(audit.body.data!.entries).toEqual([expect.objectContaining({ traceId, tool: "summarize", route: "/v1/chat", outcome: "ok" })]);

    const history = await call<{ messages: { role: string; content: string }[] }>(`/v1/chat/${sessionId}/history`, { key: KEY });
    expect(history.body.data!.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(history.body.data!.messages[1]!.content).toBe(answer);
  });

  twinOnly.it("answers directly when the message asks for no tool", async () => {
    const events = await readEvents(await chatRequest({ message: "What is the capital of France?", tools: true }, KEY));
    expect(events.some((e) => e.event === "tool_call")).toBe(false);
    expect(events.at(-1)!.event).toBe("done");
    expect(events.filter((e) => e.event === "message").map((e) => e.data.content).join("")).toContain("capital");
  });

  twinOnly.it("reports a failing tool call to the model and still answers", async () => {
    const events = await readEvents(await chatRequest({ message: "use kv_get: ../other-tenant/secret", tools: true }, KEY));
    const result = events.find((e) => e.event === "tool_result")!.data;
    expect(result).toMatchObject({ name: "kv_get", ok: false, error: { code: "invalid_request" } });
    expect(events.at(-1)!.event).toBe("done");
    expect(events.filter((e) => e.event === "message").map((e) => e.data.content).join("")).toMatch(/^Based on the kv_get result: error invalid_request/);
  });

  twinOnly.it("returns the tool calls in the JSON answer with stream: false", async () => {
    const res = await postJson("/v1/chat", { message: "classify_intent: I want to cancel my subscription", tools: true, stream: false }, KEY);
    expect(res.status).toBe(200);
    const data = res.body.data as { content: string; toolCalls: { name: string; result: { ok: boolean; result: { label: string } } }[]; usage: { total_tokens: number } };
    expect(data.toolCalls).toHaveLength(1);
    expect(data.toolCalls[0]).toMatchObject({ name: "classify_intent", result: { ok: true, result: { label: "cancellation" } } });
    expect(data.content).toMatch(/^Based on the classify_intent result: .*cancellation/);
  });

  it("needs the tools feature: a tenant with tools off gets 403", async () => {
    const res = await postJson("/v1/chat", { message: "use summarize: x", tools: true }, TINY_KEY);
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe("feature_disabled");
  });
});

describe("POST /v1/chat/completions with tools", () => {
  const client = () => new OpenAI({ apiKey: KEY, baseURL: `${gatewayUrl()}/v1`, maxRetries: 0 });

  twinOnly.it("runs the named platform tool server-side and answers with the final text", async () => {
    const completion = await client().chat.completions.create({
      model: "@cf/meta/llama-3.1-8b-instruct-fast",
      messages: [{ role: "user", content: `summarize: ${TEXT}` }],
      tools: [{ type: "function", function: { name: "summarize" } }],
    });
    expect(completion.choices[0]!.message.content).toMatch(/^Based on the summarize result: /);
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
  });

  twinOnly.it("streams the final answer as chunks", async () => {
    const stream = await client().chat.completions.create({
      model: "@cf/meta/llama-3.1-8b-instruct-fast",
      messages: [{ role: "user", content: `tag_document: ${TEXT}` }],
      tools: [{ type: "function", function: { name: "tag_document" } }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toMatch(/^Based on the tag_document result: /);
  });

  it("refuses a tool the key may not use with 403 in OpenAI's error shape", async () => {
    const res = await postJson("/v1/chat/completions", { model: "@cf/meta/llama-3.1-8b-instruct-fast", messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name: "launch_rockets" } }] }, KEY);
    expect(res.status).toBe(403);
    expect((res.body as unknown as { error: { type: string } }).error.type).toBe("permission_error");
  });
});
