// Chat completions through the one AI call: non-streamed (with tool calls) and streamed (metered as it passes).
import { isRecord } from "../util/is-record.ts";
import { callAi } from "./call.ts";
import { meterStream, type StreamOutcome } from "./meter.ts";
import { chatInputs, parseToolCalls, responseText, type ChatParams } from "./shapes.ts";
import { normalizeUsage, promptChars } from "./tokens.ts";
import type { AiCallOptions, AiToolCall, TokenUsage } from "./types.ts";

export interface ChatCallResult {
  model: string;
  content: string;
  usage: TokenUsage;
  latencyMs: number;
  /** True when the tenant's fallback model answered because the chosen one failed. */
  fallback: boolean;
  /** Tool calls the model made (only when `tools` were offered and it called one). */
  toolCalls?: AiToolCall[];
}

export interface ChatStreamResult {
  model: string;
  fallback: boolean;
  /** Text deltas as the model produces them; cancelling it cancels the upstream call. */
  deltas: ReadableStream<string>;
  /** Settles once the stream ends, breaks or is cancelled, with the text so far and its usage. */
  outcome: Promise<StreamOutcome>;
}

/** A non-streamed chat completion through the AI path. */
export async function runChat(options: AiCallOptions, params: ChatParams): Promise<ChatCallResult> {
  const call = await callAi(options, {
    route: "chat",
    inputs: chatInputs(params, false),
    read(value) {
      // An answer with none of the shapes a model answers in is that model failing (fallback, else 502), not "".
      if (typeof value !== "string" && !(isRecord(value) && ["response", "choices", "tool_calls", "output"].some((k) => k in value))) {
        throw new Error("malformed output: no response, choices or tool calls");
      }
      const toolCalls = params.tools?.length ? parseToolCalls(value) : [];
      const content = responseText(value);
      const toolChars = params.tools?.length ? JSON.stringify(params.tools).length : 0;
      const completion = toolCalls.length ? content + JSON.stringify(toolCalls) : content;
      const usage = normalizeUsage(isRecord(value) ? value.usage : undefined, promptChars(params.messages) + toolChars, completion);
      return { result: { content, usage, toolCalls }, usage };
    },
  });
  const { content, usage, toolCalls } = call.result;
  const result: ChatCallResult = { model: call.model, content, usage, latencyMs: call.latencyMs, fallback: call.fallback };
  if (toolCalls.length) result.toolCalls = toolCalls;
  return result;
}

/** A streamed chat completion: the model's frames are parsed as they pass and usage is counted at the end. */
export async function streamChat(options: AiCallOptions, params: ChatParams): Promise<ChatStreamResult> {
  const started = Date.now();
  const call = await callAi(options, {
    route: "chat",
    inputs: chatInputs(params, true),
    read(value) {
      if (!(value instanceof ReadableStream)) throw new Error("the model did not return a stream");
      const metered = meterStream(value as ReadableStream<Uint8Array>, promptChars(params.messages), started);
      return { result: metered, settled: metered.outcome };
    },
  });
  return { model: call.model, fallback: call.fallback, deltas: call.result.deltas, outcome: call.result.outcome };
}
