// The chat SSE relay: the chat service's stream passes to the client chunk by chunk (or rewritten, for OpenAI's
// framing) while its events are read on the side for the model and token usage; a client cancel reaches upstream.
import { createParser } from "eventsource-parser";
import { estimateTokens, type TokenUsage } from "@platform/shared";

export interface ChatEvent {
  event: string;
  data: unknown;
}

/** Turns one chat SSE event into the bytes to send instead (OpenAI framing); undefined keeps the original bytes. */
export type EventTransform = (event: ChatEvent) => Uint8Array[];

export interface RelayOutcome {
  usage?: TokenUsage;
  completionChars: number;
  end: "done" | "error" | "eof" | "cancelled";
}

/**
 * Relays the chat service's SSE stream chunk by chunk (pulling upstream only as the client reads), parsing its events
 * on the side. Cancelling the relay (the client went away) cancels the upstream stream and so the model call.
 */
export function relayChatStream(upstream: ReadableStream<Uint8Array>, transform?: EventTransform) {
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  const out: Uint8Array[] = [];
  const state: RelayOutcome = { completionChars: 0, end: "eof" };
  let model: string | undefined;
  let resolve: (outcome: RelayOutcome) => void = () => {};
  const outcome = new Promise<RelayOutcome>((r) => (resolve = r));
  const parser = createParser({
    onEvent({ event = "message", data }) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return;
      }
      const record = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
      if (event === "meta" && typeof record.model === "string") model = record.model;
      if (event === "message" && typeof record.content === "string") state.completionChars += record.content.length;
      if (event === "usage") state.usage = usageOf(record) ?? state.usage;
      if (event === "done" || event === "error") state.end = event;
      if (transform) out.push(...transform({ event, data: parsed }));
    },
  });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (out.length === 0) {
          const { done, value } = await reader.read();
          if (done) {
            parser.feed(decoder.decode() + "\n\n");
            for (const chunk of out.splice(0)) controller.enqueue(chunk);
            controller.close();
            resolve(state);
            return;
          }
          parser.feed(decoder.decode(value, { stream: true }));
          if (!transform) out.push(value);
        }
        for (const chunk of out.splice(0)) controller.enqueue(chunk);
      } catch (error) {
        state.end = "error";
        resolve(state);
        controller.error(error);
      }
    },
    async cancel(reason) {
      state.end = "cancelled";
      resolve(state);
      await reader.cancel(reason).catch(() => {});
    },
  });
  return { stream, outcome, model: () => model };
}

/** The usage a relayed stream reported; a stream cut short reports none, so what was relayed is counted. */
export function streamUsage(outcome: RelayOutcome, promptTokens: number): TokenUsage {
  if (outcome.usage) return outcome.usage;
  const completion = estimateTokens(outcome.completionChars);
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
}

export function usageOf(record: Record<string, unknown>): TokenUsage | undefined {
  const { prompt_tokens, completion_tokens, total_tokens } = record;
  if (typeof prompt_tokens !== "number" || typeof completion_tokens !== "number" || typeof total_tokens !== "number") return undefined;
  return { prompt_tokens, completion_tokens, total_tokens };
}
