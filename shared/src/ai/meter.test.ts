// Stream metering: frames in both shapes, usage frames or estimates, cancellation, streamed chat with fallback.
import { describe, expect, it } from "vitest";
import { streamChat } from "./chat.ts";
import { meterStream } from "./meter.ts";
import { parseFrame } from "./shapes.ts";
import { context, drain, encoder, fakeAi, FALLBACK, PRIMARY, quiet, sse } from "./testing.ts";

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
