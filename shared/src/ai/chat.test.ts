// Chat through the one AI call with a fake `ai`: content, usage, fallback, timeout, the outcome line.
import { describe, expect, it } from "vitest";
import { runChat } from "./chat.ts";
import { AppError } from "../errors.ts";
import { context, fakeAi, FALLBACK, PRIMARY, quiet } from "./testing.ts";

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
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: "rpc", service: "chat", route: "ai.chat", model: PRIMARY, tokensIn: 4, tokensOut: 1, status: "ok", "gen_ai.operation.name": "chat", "gen_ai.request.model": PRIMARY, "gen_ai.usage.input_tokens": 4, "gen_ai.usage.output_tokens": 1 });
  });
});
