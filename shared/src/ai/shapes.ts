// Model request and response shapes: chat inputs, answer text, stream frames and tool calls, in Workers AI's and
// OpenAI's shapes alike.
import { isRecord } from "../util/is-record.ts";
import { DEFAULT_MAX_TOKENS } from "./tokens.ts";
import type { AiMessage, AiTool, AiToolCall } from "./types.ts";

export interface ChatParams {
  messages: AiMessage[];
  max_tokens?: number;
  temperature?: number;
  /** Tools the model may call; the answer then carries `toolCalls` instead of (or besides) text. */
  tools?: AiTool[];
}

export function chatInputs(params: ChatParams, stream: boolean): Record<string, unknown> {
  const inputs: Record<string, unknown> = { messages: params.messages.map(messageInput), max_tokens: params.max_tokens ?? DEFAULT_MAX_TOKENS };
  if (params.temperature !== undefined) inputs.temperature = params.temperature;
  if (params.tools?.length) inputs.tools = params.tools;
  if (stream) inputs.stream = true;
  return inputs;
}

function messageInput(message: AiMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: message.role, content: message.content };
  if (message.name !== undefined) out.name = message.name;
  if (message.tool_call_id !== undefined) out.tool_call_id = message.tool_call_id;
  if (message.tool_calls?.length) out.tool_calls = message.tool_calls;
  return out;
}

/** The text of a non-streamed chat answer, in Workers AI's `{response}` or OpenAI's `choices[0].message` shape. */
export function responseText(result: unknown): string {
  if (!isRecord(result)) return typeof result === "string" ? result : "";
  if (typeof result.response === "string") return result.response;
  if (result.response !== undefined && result.response !== null) return JSON.stringify(result.response);
  const choice = Array.isArray(result.choices) ? result.choices[0] : undefined;
  const message = isRecord(choice) && isRecord(choice.message) ? choice.message : undefined;
  return typeof message?.content === "string" ? message.content : "";
}

/** One parsed stream frame: a text delta (Workers AI `response` or OpenAI `choices[0].delta.content`) and/or usage. */
export function parseFrame(data: string): { delta?: string; usage?: unknown } {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return {};
  }
  if (!isRecord(frame)) return {};
  const out: { delta?: string; usage?: unknown } = {};
  if (typeof frame.response === "string" && frame.response !== "") out.delta = frame.response;
  const choice = Array.isArray(frame.choices) ? frame.choices[0] : undefined;
  const delta = isRecord(choice) && isRecord(choice.delta) ? choice.delta.content : undefined;
  if (typeof delta === "string" && delta !== "") out.delta = (out.delta ?? "") + delta;
  if (isRecord(frame.usage)) out.usage = frame.usage;
  return out;
}

/**
 * The tool calls in a chat answer: Workers AI's `tool_calls: [{ name, arguments }]`, OpenAI's `{ id, function: { name,
 * arguments: "<json>" } }` (top level or in `choices[0].message`). Arguments that are not a JSON object become `{}`.
 */
export function parseToolCalls(result: unknown): AiToolCall[] {
  if (!isRecord(result)) return [];
  const choice = Array.isArray(result.choices) ? result.choices[0] : undefined;
  const raw = Array.isArray(result.tool_calls) ? result.tool_calls : isRecord(choice) && isRecord(choice.message) && Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : [];
  return raw.flatMap((call: unknown, i: number): AiToolCall[] => {
    if (!isRecord(call)) return [];
    const fn = isRecord(call.function) ? call.function : call;
    if (typeof fn.name !== "string" || fn.name === "") return [];
    const id = typeof call.id === "string" && call.id !== "" ? call.id : `call_${i + 1}`;
    return [{ id, name: fn.name, arguments: parseArguments(fn.arguments) }];
  });
}

function parseArguments(raw: unknown): Record<string, unknown> {
  if (isRecord(raw)) return raw;
  if (typeof raw !== "string" || raw.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
