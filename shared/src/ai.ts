// The one AI call path: model choice per route, the AI Gateway option, fallback on failure or timeout, usage and latency.
import { createParser } from "eventsource-parser";
import type { RequestContext } from "./context.ts";
import { AppError } from "./errors.ts";
import { log } from "./log.ts";
import type { TenantSettings } from "./tenant.ts";

/** What this module needs of `env.AI`: Workers AI's `run`, which the local twin implements too. */
export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: AiRunOptions): Promise<unknown>;
}

export interface GatewayOption {
  id: string;
  metadata: Record<string, string | number | boolean>;
  cacheTtl?: number;
  skipCache?: boolean;
}

export interface AiRunOptions {
  gateway?: GatewayOption;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface AiMessage {
  role: string;
  content: string;
  /** A `tool` message: the tool that produced it. */
  name?: string;
  /** A `tool` message: the call it answers. */
  tool_call_id?: string;
  /** An `assistant` message that called tools, in OpenAI's shape (Workers AI accepts it in history). */
  tool_calls?: AiToolCallMessage[];
}

export interface AiToolCallMessage {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A tool offered to the model, in the function-calling shape Workers AI and OpenAI share. */
export interface AiTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** A tool call the model made; `id` is generated when the model gives none (Workers AI's legacy shape). */
export interface AiToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type ModelRoute = "chat" | "embedding" | "rerank" | "tts";

/** The part of a RequestContext the AI path reads. */
export type AiContext = Pick<RequestContext, "tenantId" | "traceId" | "route" | "tenant">;

export interface AiCallOptions {
  ai: AiRunner;
  ctx: AiContext;
  /** The calling service, for logs and AI Gateway metadata. */
  service: string;
  /** A model the request asked for; checked against the tenant's allow-list. */
  model?: string;
  timeoutMs?: number;
  /** Extra AI Gateway metadata; the total is capped at AI Gateway's 5 entries. */
  metadata?: Record<string, string | number | boolean>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_TOKENS = 1024;
const MAX_GATEWAY_METADATA = 5;
/** OpenAI embedding model names clients send; they mean "this tenant's embedding model". */
export const OPENAI_EMBEDDING_ALIASES: readonly string[] = ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"];

/** Models a request may name for chat: the tenant's default and its allow-list. */
export function allowedChatModels(tenant: TenantSettings): string[] {
  return [...new Set([tenant.models.chat, ...tenant.models.allowed])];
}

/** The model for a route: the tenant's configured one, or a requested one the tenant allows (else invalid_request 400). */
export function chooseModel(tenant: TenantSettings, route: ModelRoute, requested?: string): string {
  const configured = tenant.models[route];
  if (requested === undefined || requested === configured) return configured;
  if (route === "chat" && tenant.models.allowed.includes(requested)) return requested;
  if (route === "embedding" && OPENAI_EMBEDDING_ALIASES.includes(requested)) return configured;
  const allowed = route === "chat" ? allowedChatModels(tenant) : route === "embedding" ? [configured, ...OPENAI_EMBEDDING_ALIASES] : [configured];
  const message = `model "${requested}" is not allowed for this tenant; allowed: ${allowed.join(", ")}`;
  throw new AppError("invalid_request", message, { details: { nested: { model: [message] }, allowed } });
}

/** The AI Gateway option for the tenant, or undefined when the tenant has no gateway. */
export function gatewayOption(ctx: AiContext, service: string, extra: Record<string, string | number | boolean> = {}): GatewayOption | undefined {
  const config = ctx.tenant.aiGateway;
  if (!config) return undefined;
  const entries = Object.entries({ tenantId: ctx.tenantId, service, route: ctx.route, ...extra }).slice(0, MAX_GATEWAY_METADATA);
  const option: GatewayOption = { id: config.id, metadata: Object.fromEntries(entries) };
  if (config.skipCache) option.skipCache = true;
  else if (config.cacheTtl !== undefined) option.cacheTtl = config.cacheTtl;
  return option;
}

export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

export function promptChars(messages: readonly AiMessage[]): number {
  return messages.reduce((sum, m) => sum + m.content.length, 0);
}

/** The gateway's worst-case reservation for a chat call: prompt chars / 4 plus the completion allowance. */
export function estimateChatTokens(messages: readonly AiMessage[], maxTokens?: number): number {
  return estimateTokens(promptChars(messages)) + (maxTokens ?? DEFAULT_MAX_TOKENS);
}

/** Usage as reported by the model, or estimated at 4 characters a token for whatever it left out. */
export function normalizeUsage(raw: unknown, promptCharCount: number, completionText: string): TokenUsage {
  const usage = isRecord(raw) ? raw : {};
  const prompt = count(usage.prompt_tokens) ?? estimateTokens(promptCharCount);
  const completion = count(usage.completion_tokens) ?? estimateTokens(completionText.length);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
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

export interface ChatParams {
  messages: AiMessage[];
  max_tokens?: number;
  temperature?: number;
  /** Tools the model may call; the answer then carries `toolCalls` instead of (or besides) text. */
  tools?: AiTool[];
}

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

/** A non-streamed chat completion through the AI path. */
export async function runChat(options: AiCallOptions, params: ChatParams): Promise<ChatCallResult> {
  const started = Date.now();
  const { model, value, fallback } = await withFallback(options, "chat", (m) => options.ai.run(m, chatInputs(params, false), runOptions(options)));
  const toolCalls = params.tools?.length ? parseToolCalls(value) : [];
  const content = responseText(value);
  const toolChars = params.tools?.length ? JSON.stringify(params.tools).length : 0;
  const completion = toolCalls.length ? content + JSON.stringify(toolCalls) : content;
  const usage = normalizeUsage(isRecord(value) ? value.usage : undefined, promptChars(params.messages) + toolChars, completion);
  const latencyMs = Date.now() - started;
  logCall(options, "chat", model, "ok", latencyMs, usage);
  const result: ChatCallResult = { model, content, usage, latencyMs, fallback };
  if (toolCalls.length) result.toolCalls = toolCalls;
  return result;
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

export const ZERO_USAGE: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** The sum of several calls' usage. */
export function sumUsage(...usages: readonly TokenUsage[]): TokenUsage {
  return usages.reduce(
    (sum, u) => ({ prompt_tokens: sum.prompt_tokens + u.prompt_tokens, completion_tokens: sum.completion_tokens + u.completion_tokens, total_tokens: sum.total_tokens + u.total_tokens }),
    ZERO_USAGE,
  );
}

export interface StreamOutcome {
  text: string;
  usage: TokenUsage;
  /** False when the stream was cancelled or broke before the model finished. */
  complete: boolean;
  error?: AppError;
  latencyMs: number;
}

export interface ChatStreamResult {
  model: string;
  fallback: boolean;
  /** Text deltas as the model produces them; cancelling it cancels the upstream call. */
  deltas: ReadableStream<string>;
  /** Settles once the stream ends, breaks or is cancelled, with the text so far and its usage. */
  outcome: Promise<StreamOutcome>;
}

/** A streamed chat completion: the model's frames are parsed as they pass and usage is counted at the end. */
export async function streamChat(options: AiCallOptions, params: ChatParams): Promise<ChatStreamResult> {
  const started = Date.now();
  const { model, value, fallback } = await withFallback(options, "chat", async (m) => {
    const result = await options.ai.run(m, chatInputs(params, true), runOptions(options));
    if (!(result instanceof ReadableStream)) throw new Error("the model did not return a stream");
    return result as ReadableStream<Uint8Array>;
  });
  const metered = meterStream(value, promptChars(params.messages), started);
  const outcome = metered.outcome.then((o) => {
    logCall(options, "chat", model, o.error ? "error" : "ok", o.latencyMs, o.usage);
    return o;
  });
  return { model, fallback, deltas: metered.deltas, outcome };
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

export interface EmbeddingCallResult {
  model: string;
  data: number[][];
  usage: TokenUsage;
  latencyMs: number;
}

/** Workers AI embeds at most 100 texts a call. */
const EMBEDDING_BATCH = 100;

/** Embeddings for `texts` with the tenant's embedding model, batched as Workers AI requires. */
export async function runEmbedding(options: AiCallOptions, texts: string[]): Promise<EmbeddingCallResult> {
  const started = Date.now();
  const model = chooseModel(options.ctx.tenant, "embedding", options.model);
  const data: number[][] = [];
  let reported = 0;
  for (let i = 0; i < texts.length; i += EMBEDDING_BATCH) {
    const batch = texts.slice(i, i + EMBEDDING_BATCH);
    const { value } = await withFallback({ ...options, model }, "embedding", (m) => options.ai.run(m, { text: batch }, runOptions(options)));
    const vectors = isRecord(value) && Array.isArray(value.data) ? (value.data as number[][]) : undefined;
    if (!vectors || vectors.length !== batch.length) throw new AppError("upstream_error", `the embedding model ${model} returned no vectors`);
    data.push(...vectors);
    const usage = isRecord(value) && isRecord(value.usage) ? count(value.usage.prompt_tokens) : undefined;
    reported += usage ?? estimateTokens(batch.reduce((sum, t) => sum + t.length, 0));
  }
  const usage = { prompt_tokens: reported, completion_tokens: 0, total_tokens: reported };
  const latencyMs = Date.now() - started;
  logCall(options, "embedding", model, "ok", latencyMs, usage);
  return { model, data, usage, latencyMs };
}

/**
 * Runs `invoke` with the chosen model; on an error or timeout, once more with the tenant's fallback model
 * (chat only). Throws upstream_error (502) when no model is left.
 */
export async function withFallback<T>(options: AiCallOptions, route: ModelRoute, invoke: (model: string) => Promise<T>): Promise<{ model: string; value: T; fallback: boolean }> {
  const primary = chooseModel(options.ctx.tenant, route, options.model);
  const fallback = route === "chat" ? options.ctx.tenant.models.fallback : undefined;
  const models = fallback && fallback !== primary ? [primary, fallback] : [primary];
  const failures: string[] = [];
  for (const [i, model] of models.entries()) {
    const started = Date.now();
    try {
      return { model, value: await withTimeout(invoke(model), options.timeoutMs ?? DEFAULT_TIMEOUT_MS), fallback: i > 0 };
    } catch (error) {
      const reason = error instanceof TimeoutError ? error.message : upstreamReason(error);
      failures.push(`${model}: ${reason}`);
      logCall(options, route, model, "error", Date.now() - started);
    }
  }
  throw new AppError("upstream_error", `the model call failed (${failures.join("; ")})`);
}

class TimeoutError extends Error {}

async function withTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call, timeout]);
  } catch (error) {
    // A stream that arrives after we gave up would otherwise keep the model generating.
    if (error instanceof TimeoutError) void call.then((late) => (late instanceof ReadableStream ? late.cancel() : undefined)).catch(() => {});
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function upstreamReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const app = message.includes("AppError:") ? AppError.from(error).body.message : message;
  return app.length > 200 ? `${app.slice(0, 200)}…` : app;
}

function chatInputs(params: ChatParams, stream: boolean): Record<string, unknown> {
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

function runOptions(options: AiCallOptions): AiRunOptions {
  const gateway = gatewayOption(options.ctx, options.service, options.metadata);
  return gateway ? { gateway } : {};
}

function logCall(options: AiCallOptions, route: ModelRoute, model: string, status: "ok" | "error", latencyMs: number, usage?: TokenUsage): void {
  const { ctx, service } = options;
  const line = { kind: "rpc", traceId: ctx.traceId, tenantId: ctx.tenantId, service, route: `ai.${route}`, status, latencyMs, model } as const;
  log(usage ? { ...line, tokensIn: usage.prompt_tokens, tokensOut: usage.completion_tokens } : line);
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
