// The one AI call: one outcome line per model call in OpenTelemetry GenAI names, readers that refuse an answer,
// raw responses, and late answers released after a timeout.
import { describe, expect, it, vi } from "vitest";
import { AppError } from "../errors.ts";
import { callAi, WORKERS_AI_PROVIDER } from "./call.ts";
import { context, fakeAi, FALLBACK, PRIMARY, quiet } from "./testing.ts";

const lines = (spy: ReturnType<typeof quiet>) => spy.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);

describe("callAi", () => {
  it("writes one line per call with the platform's fields and OpenTelemetry GenAI attributes", async () => {
    const spy = quiet();
    const { ai } = fakeAi(() => ({ response: [{ id: 0, score: 0.9 }] }));
    const usage = { prompt_tokens: 12, completion_tokens: 0, total_tokens: 12 };
    const call = await callAi({ ai, ctx: context(), service: "search" }, { route: "rerank", inputs: { query: "q" }, read: (value) => ({ result: value, usage }) });
    expect(call).toMatchObject({ model: "@cf/baai/bge-reranker-base", fallback: false });
    expect(lines(spy)).toEqual([
      expect.objectContaining({
        kind: "rpc",
        service: "search",
        route: "ai.rerank",
        status: "ok",
        model: "@cf/baai/bge-reranker-base",
        tokensIn: 12,
        tokensOut: 0,
        "gen_ai.operation.name": "rerank",
        "gen_ai.provider.name": WORKERS_AI_PROVIDER,
        "gen_ai.request.model": "@cf/baai/bge-reranker-base",
        "gen_ai.usage.input_tokens": 12,
        "gen_ai.usage.output_tokens": 0,
      }),
    ]);
  });

  it("counts an answer its reader refuses as that model failing: error line, fallback, then 502", async () => {
    const spy = quiet();
    const { ai, calls } = fakeAi(() => ({ nothing: true }));
    const error = await callAi({ ai, ctx: context(), service: "chat" }, {
      route: "chat",
      inputs: {},
      read: () => {
        throw new Error("no text");
      },
    }).catch((e: unknown) => e);
    expect(calls.map((c) => c.model)).toEqual([PRIMARY, FALLBACK]);
    expect(AppError.from(error).body).toMatchObject({ code: "upstream_error", message: expect.stringContaining("no text") });
    expect(lines(spy).map((l) => [l.model, l.status, l.errorCode, l["gen_ai.operation.name"]])).toEqual([
      [PRIMARY, "error", "upstream_error", "chat"],
      [FALLBACK, "error", "upstream_error", "chat"],
    ]);
  });

  it("names a timeout in the error line and cancels a stream that arrives after it", async () => {
    const spy = quiet();
    let cancelled = false;
    let arrive: (stream: ReadableStream) => void = () => {};
    const late = new ReadableStream({ cancel: () => void (cancelled = true) });
    const ai = { run: () => new Promise<unknown>((resolve) => (arrive = resolve)) };
    const ctx = context({ models: { chat: PRIMARY, allowed: [] } });
    await expect(callAi({ ai, ctx, service: "chat", timeoutMs: 5 }, { route: "chat", inputs: {}, read: (v) => ({ result: v }) })).rejects.toThrow(/timed out after 5 ms/);
    arrive(late);
    await vi.waitFor(() => expect(cancelled).toBe(true));
    expect(lines(spy)[0]).toMatchObject({ status: "error", errorCode: "timeout", model: PRIMARY });
  });

  it("asks for the raw response when told, and takes the model a service's planner chose (tts)", async () => {
    quiet();
    const { ai, calls } = fakeAi(() => new Response("audio"));
    const call = await callAi({ ai, ctx: context(), service: "tts", model: "@cf/deepgram/aura-1" }, { route: "tts", inputs: { text: "hi" }, raw: true, read: (v) => ({ result: v }) });
    expect(call.model).toBe("@cf/deepgram/aura-1");
    expect(calls[0]!.options).toMatchObject({ returnRawResponse: true, gateway: { id: "gw" } });
  });

  it("writes a streamed call's line once the stream settles, with its usage", async () => {
    const spy = quiet();
    let settle: (u: { usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }; latencyMs: number }) => void = () => {};
    const settled = new Promise<Parameters<typeof settle>[0]>((resolve) => (settle = resolve));
    const { ai } = fakeAi(() => "stream");
    await callAi({ ai, ctx: context(), service: "chat" }, { route: "chat", inputs: {}, read: (v) => ({ result: v, settled }) });
    expect(spy).not.toHaveBeenCalled();
    settle({ usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 }, latencyMs: 40 });
    await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
    expect(lines(spy)[0]).toMatchObject({ status: "ok", latencyMs: 40, tokensIn: 3, tokensOut: 5, "gen_ai.usage.output_tokens": 5 });
  });
});
