// POST /v1/chat over HTTP: SSE and JSON answers, the response cache, model allow-list and input validation.
import { describe, expect, it } from "vitest";
import { chatRequest, history, readEvents } from "./chat-sse.ts";
import { TINY_KEY, gatewayUrl, postJson, settledUsage, testTenant, uniqueId } from "./helpers.ts";

const KEY = testTenant("test-chat").key;
const OTHER_KEY = testTenant("test-chat-other").key;

const DEFAULT_MODEL = "@cf/meta/llama-3.1-8b-instruct-fast";

interface ChatData {
  sessionId: string;
  messageId: string;
  model: string;
  content: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

describe("POST /v1/chat streaming", () => {
  it("streams meta, message deltas, usage and done as server-sent events", async () => {
    const sessionId = uniqueId("sse");
    const response = await chatRequest({ sessionId, message: "What is the refund policy?" }, KEY);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("x-trace-id")).toBeTruthy();
    const events = await readEvents(response);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("meta");
    expect(events[0]!.data).toEqual({ sessionId, model: DEFAULT_MODEL });
    const messages = events.filter((e) => e.event === "message");
    expect(messages.length).toBeGreaterThan(1);
    expect(names.slice(-2)).toEqual(["usage", "done"]);
    const usage = events.at(-2)!.data;
    expect(usage.total_tokens).toBe(Number(usage.prompt_tokens) + Number(usage.completion_tokens));
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(events.at(-1)!.data).toMatchObject({ sessionId, messageId: expect.any(String) });
  });

  it("creates a session id when none is given and returns it in meta", async () => {
    const events = await readEvents(await chatRequest({ message: "hello" }, KEY));
    expect(events[0]!.data.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await history(String(events[0]!.data.sessionId), KEY);
    expect(stored.body.data?.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("keeps both turns in the history, in order, with the streamed text", async () => {
    const sessionId = uniqueId("hist");
    const events = await readEvents(await chatRequest({ sessionId, message: "first question" }, KEY));
    const streamed = events.filter((e) => e.event === "message").map((e) => e.data.content).join("");
    const done = events.find((e) => e.event === "done")!.data;
    const res = await history(sessionId, KEY);
    expect(res.status).toBe(200);
    const messages = res.body.data!.messages;
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "first question"],
      ["assistant", streamed],
    ]);
    expect(messages[1]!.id).toBe(done.messageId);
    expect(messages[1]!.incomplete).toBeUndefined();
    expect(res.body.data!.nextCursor).toBeNull();
  });

  it("answers on the /chat alias too", async () => {
    const response = await fetch(`${gatewayUrl()}/chat`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ message: "alias" }),
    });
    expect(response.status).toBe(200);
    expect((await readEvents(response)).at(-1)!.event).toBe("done");
  });
});

describe("POST /v1/chat JSON", () => {
  it("answers a JSON envelope with stream: false", async () => {
    const sessionId = uniqueId("json");
    const res = await postJson("/v1/chat", { sessionId, message: "hello json", stream: false }, KEY);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const data = res.body.data as ChatData;
    expect(data).toMatchObject({ sessionId, model: DEFAULT_MODEL, messageId: expect.any(String), content: expect.any(String) });
    expect(data.content.length).toBeGreaterThan(0);
    expect(data.usage.total_tokens).toBe(data.usage.prompt_tokens + data.usage.completion_tokens);
  });

  it("answers JSON when the client accepts only application/json", async () => {
    const res = await postJson("/v1/chat", { message: "hello accept" }, KEY, { accept: "application/json" });
    expect(res.status).toBe(200);
    expect((res.body.data as ChatData).content).toBeTruthy();
  });

  it("continues a session with its earlier turns as context", async () => {
    const sessionId = uniqueId("ctx");
    await postJson("/v1/chat", { sessionId, message: "one", stream: false }, KEY);
    await postJson("/v1/chat", { sessionId, messages: [{ role: "user", content: "two" }], stream: false }, KEY);
    const res = await history(sessionId, KEY);
    expect(res.body.data!.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(res.body.data!.messages[2]!.content).toBe("two");
  });

  it("uses another allowed model when the request names it", async () => {
    const model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
    const res = await postJson("/v1/chat", { message: "which model?", model, stream: false }, KEY);
    expect(res.status).toBe(200);
    expect((res.body.data as ChatData).model).toBe(model);
  });
});

describe("response cache", () => {
  it("answers a repeated temperature-0 request from the cache and never shares it with another tenant", async () => {
    const message = `cache me ${crypto.randomUUID()}`;
    const first = await postJson("/v1/chat", { message, temperature: 0, stream: false }, KEY);
    const second = await postJson("/v1/chat", { message, temperature: 0, stream: false }, KEY);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect((second.body.data as ChatData).content).toBe((first.body.data as ChatData).content);
    // A cached answer costs no tokens.
    expect((second.body.data as ChatData).usage.total_tokens).toBe(0);

    const other = await postJson("/v1/chat", { message, temperature: 0, stream: false }, OTHER_KEY);
    expect(other.status).toBe(200);
    expect(other.headers.get("x-cache")).toBe("MISS");
  });

  it("bypasses the cache when the temperature is not 0", async () => {
    const res = await postJson("/v1/chat", { message: "warm", temperature: 0.7, stream: false }, KEY);
    expect(res.headers.get("x-cache")).toBe("BYPASS");
  });

  it("still stores a cached turn in the session", async () => {
    const message = `cached turn ${crypto.randomUUID()}`;
    await postJson("/v1/chat", { message, temperature: 0, stream: false }, KEY);
    const sessionId = uniqueId("cached");
    const hit = await postJson("/v1/chat", { sessionId, message, temperature: 0, stream: false }, KEY);
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect((await history(sessionId, KEY)).body.data!.messages).toHaveLength(2);
  });
});

describe("validation", () => {
  it("answers 400 listing the allowed models for a model outside the allow-list", async () => {
    const res = await postJson("/v1/chat", { message: "hi", model: "@cf/openai/gpt-oss-120b-nope", stream: false }, KEY);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_request");
    expect(res.body.error?.message).toContain(DEFAULT_MODEL);
    expect(res.body.error?.details).toMatchObject({ nested: { model: [expect.any(String)] }, allowed: expect.arrayContaining([DEFAULT_MODEL]) });
  });

  const bad: [string, unknown, string][] = [
    ["no message", {}, "message"],
    ["an empty message", { message: "   " }, "message"],
    ["message and messages", { message: "a", messages: [{ role: "user", content: "b" }] }, "message"],
    ["a number as message", { message: 42 }, "message"],
    ["a string as messages", { messages: "hello" }, "messages"],
    ["an unknown role", { messages: [{ role: "wizard", content: "x" }] }, "messages.0.role"],
    ["too many messages", { messages: Array.from({ length: 101 }, () => ({ role: "user", content: "x" })) }, "messages"],
    ["too many characters", { messages: Array.from({ length: 4 }, () => ({ role: "user", content: "x".repeat(30_000) })) }, "messages"],
    ["an oversized message", { message: "x".repeat(40_000) }, "message"],
    ["a string temperature", { message: "hi", temperature: "0" }, "temperature"],
    ["a temperature above 2", { message: "hi", temperature: 3 }, "temperature"],
    ["a fractional max_tokens", { message: "hi", max_tokens: 1.5 }, "max_tokens"],
    ["a non-boolean stream", { message: "hi", stream: "yes" }, "stream"],
    ["a malformed sessionId", { message: "hi", sessionId: "../etc/passwd" }, "sessionId"],
    ["a too long sessionId", { message: "hi", sessionId: "a".repeat(129) }, "sessionId"],
  ];
  it.each(bad)("answers 400 with field details for %s", async (_name, body, field) => {
    const res = await postJson("/v1/chat", body, KEY);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_request");
    const details = res.body.error?.details as { nested?: Record<string, string[]> };
    expect(Object.keys(details.nested ?? {})).toContain(field);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await chatRequest(undefined, KEY, { body: "{not json" });
    expect(res.status).toBe(400);
  });

  it("answers 400 for a non-boolean rag or tools", async () => {
    for (const flag of ["rag", "tools"]) {
      const res = await postJson("/v1/chat", { message: "hi", [flag]: "yes" }, KEY);
      expect(res.status).toBe(400);
      expect(Object.keys((res.body.error?.details as { nested?: object }).nested ?? {})).toContain(flag);
    }
  });
});

describe("token budgets", () => {
  it("answers 429 budget_exceeded before calling the model when the worst case would overspend", async () => {
    const res = await postJson("/v1/chat", { message: "hi", max_tokens: 5000, stream: false }, TINY_KEY);
    expect(res.status).toBe(429);
    expect(res.body.error?.code).toBe("budget_exceeded");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("settles a JSON chat with the usage the service reports", async () => {
    const before = await settledUsage(KEY);
    const res = await postJson("/v1/chat", { message: "count my tokens", stream: false }, KEY);
    const used = (res.body.data as ChatData).usage.total_tokens;
    expect(used).toBeGreaterThan(0);
    // This tenant is this file's alone and every earlier call has settled: the difference is this chat's.
    expect((await settledUsage(KEY)).tokens - before.tokens).toBe(used);
  });

  it("settles a streamed chat from its usage event once the stream ends", async () => {
    const before = await settledUsage(KEY);
    const events = await readEvents(await chatRequest({ message: "count my streamed tokens" }, KEY));
    const used = Number(events.find((e) => e.event === "usage")!.data.total_tokens);
    expect(used).toBeGreaterThan(0);
    expect((await settledUsage(KEY)).tokens - before.tokens).toBe(used);
  });
});
