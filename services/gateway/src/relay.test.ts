// The gateway's SSE relay: bytes pass through unchanged while usage is read on the side, and a cancel reaches upstream.
import { describe, expect, it } from "vitest";
import { relayChatStream, streamUsage } from "./relay.ts";

const encoder = new TextEncoder();
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function upstream(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("relayChatStream", () => {
  it("passes the bytes through and reads the usage event, even split across chunks", async () => {
    const body = frame("meta", { model: "m" }) + frame("message", { content: "hi" }) + frame("usage", { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }) + frame("done", { messageId: "x" });
    const relay = relayChatStream(upstream([body.slice(0, 50), body.slice(50, 97), body.slice(97)]));
    expect(await text(relay.stream)).toBe(body);
    expect(await relay.outcome).toEqual({ usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }, completionChars: 2, end: "done" });
    expect(relay.model()).toBe("m");
  });

  it("cancels upstream when the client goes away and reports what was relayed", async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode(frame("message", { content: "abcd" })));
      },
      cancel() {
        cancelled = true;
      },
    });
    const relay = relayChatStream(source);
    const reader = relay.stream.getReader();
    await reader.read();
    await reader.cancel();
    const outcome = await relay.outcome;
    expect(cancelled).toBe(true);
    expect(outcome.end).toBe("cancelled");
    expect(outcome.usage).toBeUndefined();
    expect(outcome.completionChars).toBeGreaterThanOrEqual(4);
  });

  it("rewrites events when given a transform", async () => {
    const relay = relayChatStream(upstream([frame("message", { content: "a" }), frame("done", {})]), ({ event }) => [encoder.encode(`${event};`)]);
    expect(await text(relay.stream)).toBe("message;done;");
  });

  it("counts what was relayed when a stream ends without a usage event", () => {
    expect(streamUsage({ completionChars: 40, end: "cancelled" }, 12)).toEqual({ prompt_tokens: 12, completion_tokens: 10, total_tokens: 22 });
    const reported = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 };
    expect(streamUsage({ usage: reported, completionChars: 400, end: "done" }, 12)).toBe(reported);
  });
});
