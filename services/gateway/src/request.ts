// The gateway's request type and its per-request pipeline: trace id first, then envelope, CORS and one log line last.
import type { IRequestStrict } from "itty-router";
import { AppError, errorResponse, log, type LogLine, type MetricEvent } from "@platform/shared";
import type { Caller } from "./auth.ts";
import { withCors } from "./cors.ts";
import { rateLimitHeaders } from "./limits/rate-limit.ts";
import type { RateDecision } from "./limits/sliding-window.ts";
import { requestEvent, type RequestFacts } from "./metrics/event.ts";
import { recordMetric } from "./metrics/record.ts";
import { keepLine } from "./metrics/sampling.ts";
import { isOpenAIPath, openAIErrorResponse } from "./openai-errors.ts";

export type GatewayRequest = IRequestStrict & {
  traceId: string;
  started: number;
  caller?: Caller;
  rateLimit?: RateDecision;
  /** The end user the request names (x-user-id, or OpenAI's `user`), limited and budgeted on its own. */
  userId?: string;
  /** Set once the request went through its one admission call. */
  admitted?: boolean;
  /** Durable Object round trips spent on admission, and how long they took (announced in Server-Timing). */
  admission?: { calls: number; ms: number };
  /** Model, tokens and cache status set by AI routes for the log line and metrics event (never prompt text). */
  ai?: RequestFacts["ai"];
  /** Set by streaming routes: the log line waits for the stream to end, when its tokens are known. */
  streamEnd?: Promise<unknown>;
  /** The error code the response carries (set by onError), for the log line and the metrics event. */
  errorCode?: string;
  /** Route-specific metric fields (search counts, TTS characters) for the request's metrics event. */
  metrics?: RequestFacts["metrics"];
};

const TRACE_ID = /^[A-Za-z0-9-]{8,64}$/;

export function withTrace(request: GatewayRequest): void {
  const incoming = request.headers.get("x-trace-id");
  request.traceId = incoming && TRACE_ID.test(incoming) ? incoming : crypto.randomUUID();
  request.started = Date.now();
}

export function onError(error: unknown, request: GatewayRequest): Response {
  const traceId = request.traceId ?? crypto.randomUUID();
  if (request) request.errorCode = AppError.from(error).body.code;
  // The OpenAI-compatible routes answer errors in OpenAI's shape so its SDKs can read them.
  return isOpenAIPath(request.url) ? openAIErrorResponse(error, traceId) : errorResponse(error, traceId);
}

export function finish(response: Response, request: GatewayRequest, env?: GatewayEnv, ctx?: ExecutionContext): Response {
  // Responses from fetch or RPC can have immutable headers.
  const out = new Response(response.body, response);
  out.headers.set("x-trace-id", request.traceId);
  // Time spent in the gateway until the response headers (for streams: until the stream starts).
  const admission = request.admission ? `, admission;dur=${request.admission.ms};desc="${request.admission.calls} call"` : "";
  out.headers.set("server-timing", `gateway;dur=${Date.now() - request.started}${admission}`);
  withCors(out, request, request.caller?.tenant);
  if (request.rateLimit) rateLimitHeaders(out.headers, request.rateLimit);
  const line = () => {
    const latencyMs = Date.now() - request.started;
    const event = requestEvent(request, out.status, latencyMs);
    if (event && env) ctx?.waitUntil(recordMetric(env, event));
    // Successful lines are sampled (LOG_SAMPLE_RATE); errors are always kept.
    if (out.status < 400 && !keepLine(env)) return;
    log({
      kind: "request",
      traceId: request.traceId,
      tenantId: request.caller?.tenant.id,
      service: "gateway",
      route: `${request.method} ${request.route ?? "(no route)"}`,
      status: out.status,
      latencyMs,
      ...(event?.errorCode ? { errorCode: event.errorCode } : {}),
      ...request.ai,
      ...(event?.["gen_ai.request.model"] ? genAi(event) : {}),
    });
  };
  if (request.streamEnd && ctx) ctx.waitUntil(request.streamEnd.then(line, line));
  else line();
  return out;
}

function genAi(event: MetricEvent): Partial<LogLine> {
  return {
    "gen_ai.operation.name": event["gen_ai.operation.name"],
    "gen_ai.provider.name": event["gen_ai.provider.name"],
    "gen_ai.request.model": event["gen_ai.request.model"],
    "gen_ai.usage.input_tokens": event["gen_ai.usage.input_tokens"],
    "gen_ai.usage.output_tokens": event["gen_ai.usage.output_tokens"],
  };
}
