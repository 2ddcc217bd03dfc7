// The AI path's types: what it needs of `env.AI`, the messages and tools it sends, the usage it reports.
import type { RequestContext } from "../context.ts";
import type { MetricsSink } from "../metrics.ts";

/** What the AI path needs of `env.AI`: Workers AI's `run`, which the local twin implements too. */
export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: AiRunOptions): Promise<unknown>;
  /** Where each call's metrics event goes (the service's Analytics Engine binding in staging and production). */
  metrics?: MetricsSink;
  /** The calling service's env (set by meteredAi): an OpenAI-compatible provider's key secret and account id. */
  providerEnv?: Readonly<Record<string, unknown>>;
}

export interface GatewayOption {
  id: string;
  metadata: Record<string, string | number | boolean>;
  cacheTtl?: number;
  skipCache?: boolean;
}

export interface AiRunOptions {
  gateway?: GatewayOption;
  /** Ask the binding for the raw `Response` (streamed bytes) rather than its parsed output. */
  returnRawResponse?: true;
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

/** The kind of model call: decides the model policy (models.ts) and names the call in logs. */
export type ModelRoute = "chat" | "embedding" | "rerank" | "tts";

/** The part of a RequestContext the AI path reads. */
export type AiContext = Pick<RequestContext, "tenantId" | "traceId" | "route" | "tenant"> & Partial<Pick<RequestContext, "keyId">>;

export interface AiCallOptions {
  ai: AiRunner;
  ctx: AiContext;
  /** The calling service, for logs and AI Gateway metadata. */
  service: string;
  /** A model the request asked for (checked against the tenant's policy), or the one a service's own planner chose (tts). */
  model?: string;
  timeoutMs?: number;
  /** Extra AI Gateway metadata; the total is capped at AI Gateway's 5 entries. */
  metadata?: Record<string, string | number | boolean>;
  /** The calling service's env, for an OpenAI-compatible provider's key (by its secret name) and the account id. */
  providerEnv?: Readonly<Record<string, unknown>>;
}
