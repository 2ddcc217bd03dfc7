// The one AI call: model choice, provider, AI Gateway option, timeout, fallback, and one outcome line per call
// (model, provider, tokens in/out, latency, error code) in OpenTelemetry GenAI attribute names. Every model call of
// the platform (chat, embeddings, rerank, tts) goes through `callAi`.
import { AppError } from "../errors.ts";
import { log } from "../log.ts";
import { metricEvent, writeMetric } from "../metrics.ts";
import { TimeoutError, withTimeout } from "../util/timeout.ts";
import { gatewayOption } from "./gateway-options.ts";
import { modelsToTry } from "./models.ts";
import { resolveProvider, type AiProvider } from "./providers/index.ts";
import type { AiCallOptions, AiRunOptions, ModelRoute, TokenUsage } from "./types.ts";

export const DEFAULT_TIMEOUT_MS = 30_000;

export { WORKERS_AI_PROVIDER, type AiProvider } from "./providers/index.ts";

/** `gen_ai.operation.name` per kind of call: OpenTelemetry's names where it has one. */
const OPERATIONS: Readonly<Record<ModelRoute, string>> = { chat: "chat", embedding: "embeddings", rerank: "rerank", tts: "text_to_speech" };

/** Where a model runs: Workers AI through the AI binding, or the tenant's OpenAI-compatible provider (providers/). */
export function providerFor(options: Pick<AiCallOptions, "ai" | "ctx" | "providerEnv">, model: string): AiProvider {
  return resolveProvider(options.ai, options.ctx.tenant, model, options.providerEnv ?? options.ai.providerEnv);
}

/** Usage known only once a streamed answer has been read to its end (or broke, or was cancelled). */
export interface SettledUsage {
  usage: TokenUsage;
  latencyMs: number;
  error?: AppError;
}

/** What a call's reader makes of the model's answer. Throwing counts as that model failing (fallback, 502). */
export interface AiRead<T> {
  result: T;
  /** Usage reported or estimated now; absent for calls that count none (tts). */
  usage?: TokenUsage;
  /** For streams: usage once the stream settles; the call's outcome line is written then. */
  settled?: Promise<SettledUsage>;
}

export interface AiRequest<T> {
  route: ModelRoute;
  inputs: Record<string, unknown>;
  /** Ask for the raw `Response` (streamed audio bytes) rather than the binding's parsed output. */
  raw?: boolean;
  read(value: unknown, model: string): AiRead<T> | Promise<AiRead<T>>;
}

export interface AiCallResult<T> {
  model: string;
  result: T;
  /** True when the tenant's fallback model answered because the chosen one failed. */
  fallback: boolean;
  latencyMs: number;
}

/** Everything known about one model call once it is over: the single place to log it or count it. */
export interface AiCallOutcome {
  route: ModelRoute;
  provider: string;
  model: string;
  status: "ok" | "error";
  latencyMs: number;
  usage?: TokenUsage;
  errorCode?: string;
}

/**
 * Runs one model call: each model the policy allows in turn (the chosen one, then the tenant's fallback for chat),
 * each under the timeout, until one answers in a shape `read` accepts. Throws upstream_error (502) when none does.
 */
export async function callAi<T>(options: AiCallOptions, request: AiRequest<T>): Promise<AiCallResult<T>> {
  const failures: string[] = [];
  const gateway = gatewayOption(options.ctx, options.service, options.metadata);
  const runOptions: AiRunOptions = gateway ? { gateway } : {};
  if (request.raw) runOptions.returnRawResponse = true;
  for (const [i, model] of modelsToTry(options.ctx.tenant, request.route, options.model).entries()) {
    const provider = providerFor(options, model);
    const started = Date.now();
    try {
      const value = await runWithTimeout(provider.run(model, request.inputs, runOptions), options.timeoutMs ?? options.ctx.tenant.models.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const read = await request.read(value, model);
      const latencyMs = Date.now() - started;
      const outcome = { route: request.route, provider: provider.name, model };
      if (read.settled) {
        void read.settled.then((s) => recordOutcome(options, { ...outcome, status: s.error ? "error" : "ok", latencyMs: s.latencyMs, usage: s.usage, ...(s.error ? { errorCode: s.error.body.code } : {}) }));
      } else {
        recordOutcome(options, { ...outcome, status: "ok", latencyMs, ...(read.usage ? { usage: read.usage } : {}) });
      }
      return { model, result: read.result, fallback: i > 0, latencyMs };
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      failures.push(`${model}: ${timedOut ? error.message : upstreamReason(error)}`);
      recordOutcome(options, { route: request.route, provider: provider.name, model, status: "error", latencyMs: Date.now() - started, errorCode: timedOut ? "timeout" : "upstream_error" });
    }
  }
  throw new AppError("upstream_error", `the model call failed (${failures.join("; ")})`);
}

async function runWithTimeout(call: Promise<unknown>, ms: number): Promise<unknown> {
  try {
    return await withTimeout(call, ms);
  } catch (error) {
    // A stream or response that arrives after we gave up would otherwise keep the model generating.
    if (error instanceof TimeoutError) void call.then(release).catch(() => {});
    throw error;
  }
}

function release(late: unknown): unknown {
  if (late instanceof ReadableStream) return late.cancel();
  if (late instanceof Response) return late.body?.cancel();
  return undefined;
}

const UNREACHABLE = /Worker "[^"]*"|wrangler dev|service binding|Network connection lost|connection refused/i;

function upstreamReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const app = message.includes("AppError:") ? AppError.from(error).body.message : message;
  // An unbound or stopped provider Worker must not be named to a tenant (`Worker "platform-local-cloud" not found`).
  if (UNREACHABLE.test(app)) return "the AI provider is unavailable";
  return app.length > 200 ? `${app.slice(0, 200)}…` : app;
}

/** The call's log line and metrics event: rpc fields plus OpenTelemetry GenAI attributes. Never prompts or outputs. */
function recordOutcome(options: AiCallOptions, outcome: AiCallOutcome): void {
  const { ctx, service } = options;
  const { route, provider, model, status, latencyMs, usage, errorCode } = outcome;
  writeMetric(options.ai.metrics, metricEvent({
    kind: "ai_call", tenantId: ctx.tenantId, keyId: ctx.keyId ?? "", route: `ai.${route}`, service, traceId: ctx.traceId, status: status === "ok" ? 200 : 502, errorCode: errorCode ?? "", latencyMs,
    "gen_ai.operation.name": OPERATIONS[route], "gen_ai.provider.name": provider, "gen_ai.request.model": model,
    "gen_ai.usage.input_tokens": usage?.prompt_tokens ?? 0, "gen_ai.usage.output_tokens": usage?.completion_tokens ?? 0,
  }));
  log({
    kind: "rpc",
    traceId: ctx.traceId,
    tenantId: ctx.tenantId,
    service,
    route: `ai.${route}`,
    status,
    latencyMs,
    model,
    ...(errorCode ? { errorCode } : {}),
    ...(usage ? { tokensIn: usage.prompt_tokens, tokensOut: usage.completion_tokens } : {}),
    "gen_ai.operation.name": OPERATIONS[route],
    "gen_ai.provider.name": provider,
    "gen_ai.request.model": model,
    ...(usage ? { "gen_ai.usage.input_tokens": usage.prompt_tokens, "gen_ai.usage.output_tokens": usage.completion_tokens } : {}),
  });
}
