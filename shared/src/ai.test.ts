// The AI call path with a fake `ai`: model choice, allow-list, AI Gateway option, fallback, usage and stream parsing.
import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  chooseModel,
  estimateChatTokens,
  gatewayOption,
  meterStream,
  normalizeUsage,
  parseFrame,
  runChat,
  runEmbedding,
  streamChat,
  type AiContext,
  type AiRunner,
} from "./ai.ts";
import { AppError } from "./errors.ts";
import { TenantConfigSchema, tenantSettings, type TenantConfigInput } from "./tenant.ts";

const PRIMARY = "@cf/meta/llama-3.1-8b-instruct-fast";
const FALLBACK = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const OTHER = "@cf/openai/gpt-oss-120b";

function context(overrides: Partial<TenantConfigInput> = {}): AiContext {
  const config = v.parse(TenantConfigSchema, {
    id: "t1",
    name: "Test tenant",
    keys: [],
    models: { chat: PRIMARY, fallback: FALLBACK, allowed: [PRIMARY, OTHER] },
    aiGateway: { id: "gw", cacheTtl: 600 },
    ...overrides,
  });
  return { tenantId: "t1", traceId: "trace-1", route: "/v1/chat", tenant: tenantSettings(config) };
}

const encoder = new TextEncoder();
function sse(...frames: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      controller.close();
    },
  });
}

async function drain(stream: ReadableStream<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

/** A fake `env.AI` that records its calls and answers by model name. */
function fakeAi(answer: (model: string, inputs: Record<string, unknown>) => unknown | Promise<unknown>) {
  const calls: { model: string; inputs: Record<string, unknown>; options: unknown }[] = [];
  const ai: AiRunner = {
    async run(model, inputs, options) {
      calls.push({ model, inputs, options });
      return answer(model, inputs);
    },
  };
  return { ai, calls };
}

const quiet = () => vi.spyOn(console, "log").mockImplementation(() => {});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("chooseModel", () => {
  it("uses the tenant's model for the route when the request names none", () => {
    const { tenant } = context();
    expect(chooseModel(tenant, "chat")).toBe(PRIMARY);
    expect(chooseModel(tenant, "embedding")).toBe("@cf/baai/bge-base-en-v1.5");
  });

  it("accepts a requested model from the allow-list", () => {
    expect(chooseModel(context().tenant, "chat", OTHER)).toBe(OTHER);
  });

  it("rejects a model outside the allow-list with invalid_request listing the allowed ones", () => {
    const error = (() => {
      try {
        chooseModel(context().tenant, "chat", "@cf/some/other-model");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).body.message).toContain(OTHER);
    expect((error as AppError).body.details).toMatchObject({ nested: { model: [expect.any(String)] }, allowed: [PRIMARY, OTHER] });
  });

  it("maps OpenAI embedding names to the tenant's embedding model", () => {
    expect(chooseModel(context().tenant, "embedding", "text-embedding-3-small")).toBe("@cf/baai/bge-base-en-v1.5");
    expect(() => chooseModel(context().tenant, "embedding", PRIMARY)).toThrow(AppError);
  });
});

describe("gatewayOption", () => {
  it("names the gateway and tags the call with tenant, service and route", () => {
    expect(gatewayOption(context(), "chat")).toEqual({ id: "gw", metadata: { tenantId: "t1", service: "chat", route: "/v1/chat" }, cacheTtl: 600 });
  });

  it("asks to skip the gateway cache when the tenant says so", () => {
    expect(gatewayOption(context({ aiGateway: { id: "gw", skipCache: true, cacheTtl: 60 } }), "chat")).toEqual({
      id: "gw",
      metadata: { tenantId: "t1", service: "chat", route: "/v1/chat" },
      skipCache: true,
    });
  });

  it("keeps at most 5 metadata entries", () => {
    const option = gatewayOption(context(), "chat", { a: 1, b: true, c: "x", d: 4 });
    expect(Object.keys(option!.metadata)).toEqual(["tenantId", "service", "route", "a", "b"]);
  });

  it("is absent for a tenant without an AI Gateway, and the call omits it", async () => {
    const ctx = context({ aiGateway: undefined });
    expect(gatewayOption(ctx, "chat")).toBeUndefined();
    const { ai, calls } = fakeAi(() => ({ response: "ok" }));
    quiet();
    await runChat({ ai, ctx, service: "chat" }, { messages: [{ role: "user", content: "hi" }] });
    expect(calls[0]!.options).toEqual({});
  });

  it("is passed on every model call", async () => {
    const { ai, calls } = fakeAi(() => ({ response: "ok" }));
    quiet();
    await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "hi" }] });
    expect(calls[0]!.options).toEqual({ gateway: { id: "gw", metadata: { tenantId: "t1", service: "chat", route: "/v1/chat" }, cacheTtl: 600 } });
  });
});

describe("runChat", () => {
  it("returns content, the model's usage and latency", async () => {
    const { ai, calls } = fakeAi(() => ({ response: "Hello!", usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }));
    quiet();
    const result = await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "hi" }], max_tokens: 50, temperature: 0 });
    expect(result).toMatchObject({ model: PRIMARY, content: "Hello!", usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }, fallback: false });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(calls[0]!.inputs).toEqual({ messages: [{ role: "user", content: "hi" }], max_tokens: 50, temperature: 0 });
  });

  it("estimates usage at 4 characters a token when the model reports none", async () => {
    const { ai } = fakeAi(() => ({ response: "12345678" }));
    quiet();
    const result = await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "abcdefghij" }] });
    expect(result.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it("reads OpenAI-shaped answers too", async () => {
    const { ai } = fakeAi(() => ({ choices: [{ message: { role: "assistant", content: "from choices" } }] }));
    quiet();
    expect((await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "hi" }] })).content).toBe("from choices");
  });

  it("falls back to the tenant's fallback model when the chosen one fails", async () => {
    const { ai, calls } = fakeAi((model) => {
      if (model === PRIMARY) throw new Error("5007: model unavailable");
      return { response: "from fallback" };
    });
    quiet();
    const result = await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "hi" }] });
    expect(calls.map((c) => c.model)).toEqual([PRIMARY, FALLBACK]);
    expect(result).toMatchObject({ model: FALLBACK, content: "from fallback", fallback: true });
  });

  it("falls back when the chosen model times out", async () => {
    const { ai } = fakeAi((model) => (model === PRIMARY ? new Promise(() => {}) : { response: "fast" }));
    quiet();
    const result = await runChat({ ai, ctx: context(), service: "chat", timeoutMs: 20 }, { messages: [{ role: "user", content: "hi" }] });
    expect(result.model).toBe(FALLBACK);
  });

  it("throws upstream_error (502) when no model is left", async () => {
    const { ai, calls } = fakeAi(() => {
      throw new Error("boom");
    });
    quiet();
    const error = await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(AppError.from(error).body.code).toBe("upstream_error");
    expect(AppError.from(error).status).toBe(502);
    expect(calls).toHaveLength(2);
  });

  it("does not fall back for a tenant without a fallback model", async () => {
    const { ai, calls } = fakeAi(() => {
      throw new Error("boom");
    });
    quiet();
    const ctx = context({ models: { chat: PRIMARY, allowed: [] } });
    await expect(runChat({ ai, ctx, service: "chat" }, { messages: [{ role: "user", content: "hi" }] })).rejects.toThrow(/upstream_error/);
    expect(calls).toHaveLength(1);
  });

  it("logs model, tokens and latency but never the prompt", async () => {
    const spy = quiet();
    const { ai } = fakeAi(() => ({ response: "answer", usage: { prompt_tokens: 4, completion_tokens: 1 } }));
    await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "my secret prompt" }] });
    const lines = spy.mock.calls.map((c) => String(c[0]));
    expect(lines.join("\n")).not.toContain("secret");
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: "rpc", service: "chat", route: "ai.chat", model: PRIMARY, tokensIn: 4, tokensOut: 1, status: "ok" });
  });
});

describe("stream usage", () => {
  it("parses Workers AI frames and its usage frame while passing the text through", async () => {
    const source = sse('data: {"response":"Hel","p":"abc"}\n\n', 'data: {"response":"lo"}\n\ndata: {"response":"","usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}\n\n', "data: [DONE]\n\n");
    const { deltas, outcome } = meterStream(source, 20);
    expect(await drain(deltas)).toEqual(["Hel", "lo"]);
    expect(await outcome).toMatchObject({ text: "Hello", complete: true, usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
  });

  it("parses OpenAI-style choices[0].delta.content frames split across chunks", async () => {
    const source = sse('data: {"choices":[{"delta":{"content":"Hi "}}]}\n\ndata: {"choi', 'ces":[{"delta":{"content":"there"}}]}\n\n', "data: [DONE]\n\n");
    const { deltas, outcome } = meterStream(source, 8);
    expect((await drain(deltas)).join("")).toBe("Hi there");
    // No usage frame: estimated from the prompt's 8 characters and the 8 streamed.
    expect((await outcome).usage).toEqual({ prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 });
  });

  it("reports an incomplete outcome and cancels upstream when the consumer cancels", async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode('data: {"response":"tok "}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { deltas, outcome } = meterStream(source, 0);
    const reader = deltas.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel("client gone");
    const result = await outcome;
    expect(cancelled).toBe(true);
    expect(result.complete).toBe(false);
    expect(result.text).toBe("tok tok ");
  });

  it("streams through the AI path with fallback when the first model cannot start", async () => {
    const { ai, calls } = fakeAi((model, inputs) => {
      expect(inputs.stream).toBe(true);
      if (model === PRIMARY) throw new Error("unavailable");
      return sse('data: {"response":"ok"}\n\n', "data: [DONE]\n\n");
    });
    quiet();
    const result = await streamChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "hi" }] });
    expect(result.model).toBe(FALLBACK);
    expect(await drain(result.deltas)).toEqual(["ok"]);
    expect((await result.outcome).complete).toBe(true);
    expect(calls.map((c) => c.model)).toEqual([PRIMARY, FALLBACK]);
  });

  it("reads a frame's delta and usage", () => {
    expect(parseFrame('{"response":"a","usage":{"prompt_tokens":1}}')).toEqual({ delta: "a", usage: { prompt_tokens: 1 } });
    expect(parseFrame("not json")).toEqual({});
  });
});

describe("usage estimates", () => {
  it("fills in what the model left out", () => {
    expect(normalizeUsage({ prompt_tokens: 10 }, 400, "abcd")).toEqual({ prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 });
    expect(normalizeUsage(undefined, 9, "")).toEqual({ prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 });
  });

  it("reserves prompt characters / 4 plus max_tokens, or 1024 by default", () => {
    expect(estimateChatTokens([{ role: "user", content: "x".repeat(400) }], 100)).toBe(200);
    expect(estimateChatTokens([{ role: "user", content: "x".repeat(400) }])).toBe(1124);
  });
});

describe("runEmbedding", () => {
  it("batches at 100 texts a call and estimates usage", async () => {
    const { ai, calls } = fakeAi((_model, inputs) => ({ shape: [0, 3], data: (inputs.text as string[]).map(() => [1, 0, 0]) }));
    quiet();
    const texts = Array.from({ length: 150 }, () => "abcd");
    const result = await runEmbedding({ ai, ctx: context(), service: "chat", model: "text-embedding-3-small" }, texts);
    expect(calls.map((c) => (c.inputs.text as string[]).length)).toEqual([100, 50]);
    expect(result.data).toHaveLength(150);
    expect(result.model).toBe("@cf/baai/bge-base-en-v1.5");
    expect(result.usage.prompt_tokens).toBe(150);
  });
});
