// Stream metering: parses a model's SSE bytes into text deltas as the consumer reads, and settles with the text and
// usage (the model's usage frame, else an estimate) once the stream ends, breaks or is cancelled.
import { createParser } from "eventsource-parser";
import { AppError } from "../errors.ts";
import { parseFrame } from "./shapes.ts";
import { normalizeUsage } from "./tokens.ts";
import type { TokenUsage } from "./types.ts";

export interface StreamOutcome {
  text: string;
  usage: TokenUsage;
  /** False when the stream was cancelled or broke before the model finished. */
  complete: boolean;
  error?: AppError;
  latencyMs: number;
}

/**
 * Parses an upstream SSE byte stream into text deltas, pulling from upstream only as fast as the consumer reads.
 * The outcome carries the model's usage frame when there was one, else an estimate from the characters seen.
 */
export function meterStream(source: ReadableStream<Uint8Array>, promptCharCount: number, started = Date.now()): { deltas: ReadableStream<string>; outcome: Promise<StreamOutcome> } {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  const pending: string[] = [];
  let text = "";
  let usage: unknown;
  let settle: (outcome: StreamOutcome) => void = () => {};
  const outcome = new Promise<StreamOutcome>((resolve) => (settle = resolve));
  let settled = false;
  const finish = (complete: boolean, error?: AppError) => {
    if (settled) return;
    settled = true;
    const result: StreamOutcome = { text, usage: normalizeUsage(usage, promptCharCount, text), complete, latencyMs: Date.now() - started };
    if (error) result.error = error;
    settle(result);
  };
  const parser = createParser({
    onEvent(event) {
      if (event.data === "[DONE]") return;
      const frame = parseFrame(event.data);
      if (frame.delta) {
        text += frame.delta;
        pending.push(frame.delta);
      }
      if (frame.usage) usage = frame.usage;
    },
  });
  const deltas = new ReadableStream<string>({
    async pull(controller) {
      try {
        while (pending.length === 0) {
          const { done, value } = await reader.read();
          if (done) {
            parser.feed(decoder.decode() + "\n\n");
            for (const d of pending.splice(0)) controller.enqueue(d);
            finish(true);
            controller.close();
            return;
          }
          parser.feed(decoder.decode(value, { stream: true }));
        }
        for (const d of pending.splice(0)) controller.enqueue(d);
      } catch (error) {
        finish(false, new AppError("upstream_error", `the model's stream broke: ${error instanceof Error ? error.message : String(error)}`));
        controller.close();
      }
    },
    async cancel(reason) {
      finish(false);
      await reader.cancel(reason).catch(() => {});
    },
  });
  return { deltas, outcome };
}
