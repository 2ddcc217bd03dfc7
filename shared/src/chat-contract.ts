// Chat contracts: the gateway's valibot request schemas (native and OpenAI-compatible) and the chat service's RPC types.
import * as v from "valibot";
import { estimateChatTokens, estimateTokens, type TokenUsage } from "./ai/index.ts";
import type { SearchSource } from "./search-contract.ts";
import type { TenantSettings } from "./tenant.ts";

/** Caps that keep one request's prompt well inside a model's context and a Durable Object's limits. */
export const CHAT_LIMITS = {
  maxMessages: 100,
  maxMessageChars: 32_000,
  maxTotalChars: 100_000,
  maxTokens: 8192,
  historyPageMax: 200,
  historyPageDefault: 50,
  maxEmbeddingInputs: 256,
  maxEmbeddingChars: 32_000,
} as const;

export const SessionIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/, "sessionId must be 1-128 characters of A-Z, a-z, 0-9, _ and -"));

const Content = v.pipe(v.string(), v.maxLength(CHAT_LIMITS.maxMessageChars, `a message may have at most ${CHAT_LIMITS.maxMessageChars} characters`));
const ModelName = v.pipe(v.string(), v.minLength(1, "model must not be empty"), v.maxLength(200));
const Temperature = v.pipe(v.number(), v.minValue(0), v.maxValue(2));
const MaxTokens = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(CHAT_LIMITS.maxTokens));

export const ChatMessageSchema = v.object({
  role: v.picklist(["system", "user", "assistant"]),
  content: Content,
});

const totalChars = (messages: readonly { content: string }[]) => messages.reduce((sum, m) => sum + m.content.length, 0);

// Strict, so a misspelt option (maxTokens, session_id) is a 400 rather than silently ignored.
export const ChatRequestSchema = v.pipe(
  v.strictObject({
    sessionId: v.optional(SessionIdSchema),
    message: v.optional(v.pipe(Content, v.trim(), v.minLength(1, "message must not be empty"))),
    messages: v.optional(
      v.pipe(
        v.array(ChatMessageSchema),
        v.minLength(1, "messages must not be empty"),
        v.maxLength(CHAT_LIMITS.maxMessages, `at most ${CHAT_LIMITS.maxMessages} messages per request`),
        v.check((ms) => totalChars(ms) <= CHAT_LIMITS.maxTotalChars, `messages may have at most ${CHAT_LIMITS.maxTotalChars} characters in total`),
      ),
    ),
    stream: v.optional(v.boolean()),
    model: v.optional(ModelName),
    temperature: v.optional(Temperature),
    max_tokens: v.optional(MaxTokens),
    rag: v.optional(v.boolean()),
    tools: v.optional(v.boolean()),
  }),
  v.forward(
    v.partialCheck([["message"], ["messages"]], (input) => (input.message === undefined) !== (input.messages === undefined), "send either `message` (a string) or `messages` (an array of { role, content })"),
    ["message"],
  ),
);

export type ChatRequestInput = v.InferInput<typeof ChatRequestSchema>;
export type ChatRequest = v.InferOutput<typeof ChatRequestSchema>;

export const HistoryQuerySchema = v.object({
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, "cursor must be a value of nextCursor"))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, "limit must be a positive integer"), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(CHAT_LIMITS.historyPageMax))),
});

// OpenAI clients send parts arrays and fields this platform ignores (top_p, user, seed, ...).
const OpenAIContent = v.union([
  v.string(),
  v.array(v.looseObject({ type: v.string(), text: v.optional(v.string()) })),
  v.null(),
]);

// OpenAI clients often send their own model's large limits; clamp rather than refuse them.
const OpenAIMaxTokens = v.pipe(v.number(), v.integer(), v.minValue(1), v.transform((n) => Math.min(n, CHAT_LIMITS.maxTokens)));

const OpenAIToolSchema = v.looseObject({
  type: v.literal("function", 'tools must be { "type": "function", "function": { "name": "<platform tool>" } }'),
  function: v.looseObject({
    name: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,63}$/, "a tool name is lowercase letters, digits and _")),
  }),
});

export const OpenAIChatRequestSchema = v.looseObject({
  model: ModelName,
  messages: v.pipe(
    v.array(v.looseObject({ role: v.picklist(["system", "developer", "user", "assistant"]), content: v.optional(OpenAIContent) })),
    v.minLength(1, "messages must not be empty"),
    v.maxLength(CHAT_LIMITS.maxMessages, `at most ${CHAT_LIMITS.maxMessages} messages per request`),
  ),
  stream: v.optional(v.nullable(v.boolean())),
  stream_options: v.optional(v.nullable(v.looseObject({ include_usage: v.optional(v.boolean()) }))),
  temperature: v.optional(v.nullable(Temperature)),
  max_tokens: v.optional(v.nullable(OpenAIMaxTokens)),
  max_completion_tokens: v.optional(v.nullable(OpenAIMaxTokens)),
  n: v.optional(v.nullable(v.literal(1, "only n = 1 is supported"))),
  // Names platform tools the model may call; they run server-side (their schemas come from the tools registry).
  tools: v.optional(v.nullable(v.pipe(v.array(OpenAIToolSchema), v.maxLength(64, "at most 64 tools")))),
  tool_choice: v.optional(v.nullable(v.unknown())),
});

export type OpenAIChatRequest = v.InferOutput<typeof OpenAIChatRequestSchema>;

export const EmbeddingRequestSchema = v.looseObject({
  model: v.optional(ModelName),
  input: v.union([
    v.pipe(v.string(), v.maxLength(CHAT_LIMITS.maxEmbeddingChars)),
    v.pipe(v.array(v.pipe(v.string(), v.maxLength(CHAT_LIMITS.maxEmbeddingChars))), v.minLength(1), v.maxLength(CHAT_LIMITS.maxEmbeddingInputs)),
  ]),
  encoding_format: v.optional(v.picklist(["float", "base64"])),
  dimensions: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

export type EmbeddingRequest = v.InferOutput<typeof EmbeddingRequestSchema>;

/** OpenAI's message content (a string or text parts) as plain text. */
export function contentText(content: OpenAIChatRequest["messages"][number]["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}

export type ChatRole = "system" | "user" | "assistant";

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** What the gateway sends the chat service: validated, normalised to `messages`. */
export interface ChatInput {
  sessionId?: string;
  messages: ChatMessage[];
  model?: string;
  temperature?: number;
  max_tokens?: number;
  /** OpenAI-compatible calls keep no session. */
  stateless?: boolean;
  /** Ground the answer in the tenant's documents: retrieve with the last user message, cite the chunks as [n]. */
  rag?: boolean;
  /** Let the model call platform tools: every tool the caller may use, or only the named ones. */
  tools?: { names?: string[] };
}

/** A retrieved chunk the answer may cite as [n]; sent as the `sources` event before the text. */
export type ChatSource = Omit<SearchSource, "cited">;

/** A tool call the model made during a turn (the `tool_call` event). */
export interface ChatToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** What the tool call gave (the `tool_result` event); the model sees the same. */
export interface ChatToolResult {
  id: string;
  name: string;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  truncated?: boolean;
}

export type CacheStatus = "HIT" | "MISS" | "BYPASS";

export interface ChatResult {
  sessionId?: string;
  messageId: string;
  model: string;
  content: string;
  usage: TokenUsage;
  /** HIT answers came from the tenant's response cache and used no tokens. */
  cache: CacheStatus;
  /** With `rag`: the chunks the answer was grounded in. */
  sources?: ChatSource[];
  /** With `tools`: the calls made and what they gave, in order. */
  toolCalls?: (ChatToolCall & { result: ChatToolResult })[];
}

export interface HistoryMessage {
  id: string;
  role: ChatRole;
  content: string;
  createdAt: string;
  /** The stream ended before the model finished (client gone or upstream failure). */
  incomplete?: boolean;
}

export interface HistoryPage {
  messages: HistoryMessage[];
  nextCursor: string | null;
}

export interface HistoryParams {
  cursor?: string;
  limit?: number;
}

export interface EmbeddingInput {
  input: string[];
  model?: string;
}

export interface EmbeddingResult {
  model: string;
  data: number[][];
  usage: { prompt_tokens: number; total_tokens: number };
}

/** SSE events of POST /v1/chat, in order: meta, sources?, (tool_call, tool_result)*, message*, usage, (error | done). */
export interface ChatStreamEvents {
  meta: { sessionId?: string; model: string };
  sources: ChatSource[];
  tool_call: ChatToolCall;
  tool_result: ChatToolResult;
  message: { content: string };
  usage: TokenUsage;
  done: { sessionId?: string; messageId: string };
  error: { code: string; message: string };
}

/** Chunks of grounding context per `rag` turn are at most this long in the prompt. */
export const RAG_CONTEXT_CHARS = 1200;
/** What one tool result may add to the prompt (the tools service caps results; this caps them again for the model). */
export const TOOL_RESULT_PROMPT_CHARS = 8000;
/** What the tools' schemas add to each tool round's prompt, at most. */
const TOOL_SCHEMAS_CHARS = 12_000;

/**
 * The gateway's worst-case reservation for a chat turn: the plain prompt and answer; with `rag` the retrieved context;
 * with `tools` every round (schemas, earlier tool results, and a completion each) plus the final answer.
 */
export function estimateChatTurnTokens(tenant: TenantSettings, input: Pick<ChatInput, "messages" | "max_tokens" | "rag" | "tools">): number {
  const ragChars = input.rag ? tenant.rag.topK * (RAG_CONTEXT_CHARS + 200) + 600 : 0;
  const base = estimateChatTokens(input.messages, input.max_tokens) + estimateTokens(ragChars) + (input.rag ? estimateTokens(1000) : 0);
  if (!input.tools) return base;
  const rounds = tenant.tools.maxRounds;
  // Round r sees the schemas and r - 1 earlier results; tools that ask a model spend about as much again.
  let extra = 0;
  for (let r = 1; r <= rounds; r++) extra += base + estimateTokens(TOOL_SCHEMAS_CHARS + (r - 1) * TOOL_RESULT_PROMPT_CHARS) + estimateTokens(TOOL_RESULT_PROMPT_CHARS);
  return base + extra;
}
