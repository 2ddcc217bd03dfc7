// OpenAI-shaped output for the models Workers AI serves that way (gpt-oss): Chat Completions objects and
// chunks for `messages` input, a Responses object for `input`, as workers-types declares for those models.
import type { Generation } from "./chat.ts";
import { isRecord } from "@platform/shared";
import { tokenize } from "./stream.ts";

export type OpenAiOutput = ReturnType<typeof chatCompletion> | ReturnType<typeof responsesOutput>;

const encoder = new TextEncoder();

export function usesOpenAiShapes(model: string): boolean {
  return /\/gpt-oss-/.test(model);
}

/** Responses input ({ input, instructions, tools, max_output_tokens }) as the chat input the twin parses. */
export function responsesToChatInput(inputs: Record<string, unknown>): Record<string, unknown> {
  const messages: Record<string, unknown>[] = [];
  if (typeof inputs.instructions === "string") messages.push({ role: "system", content: inputs.instructions });
  const items = typeof inputs.input === "string" ? [{ role: "user", content: inputs.input }] : Array.isArray(inputs.input) ? inputs.input : [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    if (item.type === "function_call_output") {
      messages.push({ role: "tool", tool_call_id: item.call_id, content: typeof item.output === "string" ? item.output : JSON.stringify(item.output) });
    } else if (item.type === "function_call") {
      messages.push({ role: "assistant", content: "", tool_calls: [{ id: item.call_id, name: item.name }] });
    } else {
      const role = item.role === "developer" ? "system" : item.role;
      const content = Array.isArray(item.content) ? item.content.map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : "")).join("") : item.content;
      messages.push({ role, content });
    }
  }
  return { messages, tools: inputs.tools, max_tokens: inputs.max_output_tokens ?? undefined, stream: inputs.stream ?? undefined };
}

export function chatCompletion(model: string, g: Generation) {
  const message = g.toolCalls
    ? { role: "assistant" as const, content: null, refusal: null, tool_calls: g.toolCalls.map((call, i) => functionCall(g, call, i)) }
    : { role: "assistant" as const, content: g.response, refusal: null };
  return {
    id: `chatcmpl-${idFor(g)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: g.finishReason, logprobs: null }],
    usage: g.usage,
  };
}

export function chatCompletionFrames(model: string, g: Generation): Uint8Array[] {
  const head = { id: `chatcmpl-${idFor(g)}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    encoder.encode(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`);
  const frames = [chunk({ role: "assistant", content: "" })];
  for (const token of tokenize(g.response)) frames.push(chunk({ content: token }));
  g.toolCalls?.forEach((call, i) => frames.push(chunk({ tool_calls: [{ index: i, ...functionCall(g, call, i) }] })));
  frames.push(chunk({}, g.finishReason, { usage: g.usage }));
  frames.push(encoder.encode("data: [DONE]\n\n"));
  return frames;
}

export function responsesOutput(g: Generation) {
  const id = idFor(g);
  const output = g.toolCalls
    ? g.toolCalls.map((call, i) => ({ type: "function_call" as const, id: `fc_${id}_${i}`, call_id: `call_${id}_${i}`, name: call.name, arguments: JSON.stringify(call.arguments), status: "completed" as const }))
    : [{ type: "message" as const, id: `msg_${id}`, role: "assistant" as const, status: "completed" as const, content: [{ type: "output_text" as const, text: g.response }] }];
  return {
    id: `resp_${id}`,
    object: "response" as const,
    created_at: Math.floor(Date.now() / 1000),
    status: g.finishReason === "length" ? ("incomplete" as const) : ("completed" as const),
    output,
    output_text: g.response,
    usage: { input_tokens: g.usage.prompt_tokens, output_tokens: g.usage.completion_tokens, total_tokens: g.usage.total_tokens },
  };
}

function functionCall(g: Generation, call: { name: string; arguments: Record<string, unknown> }, i: number) {
  return { id: `call_${idFor(g)}_${i}`, type: "function" as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } };
}

/** A deterministic id from what was generated, so identical requests give identical ids. */
function idFor(g: Generation): string {
  const text = JSON.stringify([g.response, g.toolCalls, g.usage]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}
