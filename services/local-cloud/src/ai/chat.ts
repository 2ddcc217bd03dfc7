// Chat twin: deterministic, grounded text generation in Workers AI's shapes ({ response, tool_calls?, usage }
// or, with `stream: true`, a ReadableStream of SSE frames; gpt-oss models answer in OpenAI's shapes, see
// openai-shapes.ts). The answer rules are in README.md.
import { invalidInput } from "./errors.ts";
import { isRecord } from "@platform/shared";
import { announcesContext, DONT_KNOW, extractQuestion, findPassages, groundedAnswer } from "./grounding.ts";
import { chatCompletion, chatCompletionFrames, responsesOutput, responsesToChatInput, usesOpenAiShapes, type OpenAiOutput } from "./openai-shapes.ts";
import { byteStream, chatFrames, tokenize, type Usage } from "./stream.ts";
import { estimateTokens, terms } from "./text.ts";
import { normalizeTools, pickToolCall, type ToolCall, type ToolSpec } from "./tools.ts";

export interface ChatMessage {
  role: string;
  content: string;
  name?: string;
  tool_call_id?: string;
  /** Calls an assistant turn made, reduced to what names a later tool result. */
  calls?: { id?: string; name: string }[];
}

export interface ChatOutput {
  response: string;
  tool_calls?: ToolCall[];
  usage: Usage;
}

export interface ChatRequest {
  messages: ChatMessage[];
  stream: boolean;
  maxTokens: number;
  tools: ToolSpec[];
}

// Workers AI's default for most text generation models.
const DEFAULT_MAX_TOKENS = 256;
const ROLES = new Set(["system", "user", "assistant", "tool"]);

/** What the model "generated", before it is put in a model family's output shape. */
export interface Generation {
  response: string;
  toolCalls?: ToolCall[];
  usage: Usage;
  finishReason: "stop" | "length" | "tool_calls";
}

export function chat(model: string, inputs: unknown): ChatOutput | ReadableStream<Uint8Array> | OpenAiOutput {
  if (usesOpenAiShapes(model)) return openAiChat(model, inputs);
  const request = parseChatInput(inputs);
  const generation = generate(model, request);
  const { response, toolCalls, usage } = generation;
  if (request.stream) return byteStream(chatFrames(tokenize(response), usage, toolCalls));
  return toolCalls ? { response, tool_calls: toolCalls, usage } : { response, usage };
}

// gpt-oss takes Chat Completions input (`messages`) or Responses input (`input`, `instructions`) and answers
// in the matching OpenAI shape (workers-types: XOR<ResponsesOutput, ChatCompletionsOutput>), not { response }.
function openAiChat(model: string, inputs: unknown): ReadableStream<Uint8Array> | OpenAiOutput {
  const viaResponses = isRecord(inputs) && "input" in inputs;
  const request = parseChatInput(viaResponses ? responsesToChatInput(inputs) : inputs);
  if (viaResponses && request.stream) throw invalidInput("the Responses API (`input`) is non-streaming on Workers AI; use `messages` to stream");
  const generation = generate(model, request);
  if (viaResponses) return responsesOutput(generation);
  return request.stream ? byteStream(chatCompletionFrames(model, generation)) : chatCompletion(model, generation);
}

export function generate(model: string, request: ChatRequest): Generation {
  const last = request.messages.at(-1);
  const toolCall = request.tools.length > 0 && last?.role === "user" ? pickToolCall(request.tools, last.content) : undefined;
  const full = toolCall ? "" : answer(model, request.messages);
  const response = limitTokens(full, request.maxTokens);
  const toolCalls = toolCall ? [toolCall] : undefined;
  const promptText = request.messages.map((m) => m.content).join("\n") + (request.tools.length ? JSON.stringify(request.tools) : "");
  const completionTokens = toolCalls ? estimateTokens(JSON.stringify(toolCalls)) : estimateTokens(response);
  const promptTokens = estimateTokens(promptText);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const finishReason = toolCalls ? "tool_calls" : response.length < full.length ? "length" : "stop";
  return toolCalls ? { response, toolCalls, usage, finishReason } : { response, usage, finishReason };
}

function answer(model: string, messages: ChatMessage[]): string {
  const last = messages.at(-1);
  if (last?.role === "tool") return toolResultAnswer(messages, last);
  const lastUser = messages.findLast((m) => m.role === "user");
  const prompt = messages.filter((m) => m.role === "system" || m.role === "user").map((m) => m.content).join("\n\n");
  const passages = findPassages(prompt);
  const question = lastUser ? extractQuestion(lastUser.content) : "";
  if (passages.length > 0) return groundedAnswer(question, passages);
  if (announcesContext(prompt)) return DONT_KNOW;
  if (question === "") return "Hello! How can I help you today?";
  const keyTerms = [...new Set(terms(question))].slice(0, 6);
  const about = keyTerms.length ? ` about ${keyTerms.join(", ")}` : "";
  return `You asked${about}: "${question}". This is a deterministic answer from the local twin of ${model}; give it numbered context passages to get a grounded, cited answer.`;
}

function toolResultAnswer(messages: ChatMessage[], result: ChatMessage): string {
  const name = result.name ?? toolNameFor(messages, result.tool_call_id) ?? "tool";
  const content = result.content.trim() === "" ? "(empty result)" : result.content.trim();
  return `Based on the ${name} result: ${content}`;
}

function toolNameFor(messages: ChatMessage[], id: string | undefined): string | undefined {
  const calls = messages.findLast((m) => m.role === "assistant" && m.calls?.length)?.calls ?? [];
  return (calls.find((c) => id !== undefined && c.id === id) ?? calls.at(-1))?.name;
}

function limitTokens(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  let out = "";
  for (const token of tokenize(text)) {
    if (estimateTokens(out + token) > maxTokens) break;
    out += token;
  }
  return out === "" ? text.slice(0, maxTokens * 4) : out;
}

export function parseChatInput(inputs: unknown): ChatRequest {
  if (!isRecord(inputs)) throw invalidInput("inputs must be an object with `messages` or `prompt`");
  const { messages, prompt, stream, max_tokens: maxTokens, tools } = inputs;
  let parsed: ChatMessage[];
  if (messages !== undefined) {
    if (!Array.isArray(messages) || messages.length === 0) throw invalidInput("`messages` must be a non-empty array of { role, content }");
    parsed = messages.map(parseMessage);
  } else if (typeof prompt === "string") {
    parsed = [{ role: "user", content: prompt }];
  } else {
    throw invalidInput("required properties at '/' are 'messages' or 'prompt'");
  }
  if (stream !== undefined && typeof stream !== "boolean") throw invalidInput("`stream` must be a boolean");
  if (maxTokens !== undefined && (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw invalidInput("`max_tokens` must be a positive integer");
  }
  let toolSpecs: ToolSpec[];
  try {
    toolSpecs = normalizeTools(tools);
  } catch (error) {
    throw invalidInput((error as Error).message);
  }
  return { messages: parsed, stream: stream === true, maxTokens: maxTokens ?? DEFAULT_MAX_TOKENS, tools: toolSpecs };
}

function parseMessage(message: unknown, i: number): ChatMessage {
  if (!isRecord(message) || typeof message.role !== "string" || !ROLES.has(message.role)) {
    throw invalidInput(`messages[${i}].role must be one of system, user, assistant, tool`);
  }
  const { content } = message;
  let text: string;
  if (typeof content === "string") text = content;
  else if (content === null || content === undefined) text = "";
  else if (Array.isArray(content)) text = content.map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : "")).join("");
  else throw invalidInput(`messages[${i}].content must be a string`);
  const parsed: ChatMessage = { role: message.role, content: text };
  if (typeof message.name === "string") parsed.name = message.name;
  if (typeof message.tool_call_id === "string") parsed.tool_call_id = message.tool_call_id;
  if (Array.isArray(message.tool_calls)) parsed.calls = message.tool_calls.flatMap(callName);
  return parsed;
}

// Workers AI's { name, arguments } and OpenAI's { id, function: { name, arguments } } both occur in history.
function callName(call: unknown): { id?: string; name: string }[] {
  if (!isRecord(call)) return [];
  const fn = isRecord(call.function) ? call.function : call;
  if (typeof fn.name !== "string") return [];
  return [typeof call.id === "string" ? { id: call.id, name: fn.name } : { name: fn.name }];
}
