// The gateway's request type and its per-request pipeline: trace id first, then envelope, CORS and one log line last.
import type { IRequestStrict } from "itty-router";
import { errorResponse, log } from "@platform/shared";
import type { Caller } from "./auth.ts";
import { withCors } from "./cors.ts";
import { rateLimitHeaders } from "./limits/rate-limit.ts";
import type { RateDecision } from "./limits/sliding-window.ts";

export type GatewayRequest = IRequestStrict & {
  traceId: string;
  started: number;
  caller?: Caller;
  rateLimit?: RateDecision;
};

const TRACE_ID = /^[A-Za-z0-9-]{8,64}$/;

export function withTrace(request: GatewayRequest): void {
  const incoming = request.headers.get("x-trace-id");
  request.traceId = incoming && TRACE_ID.test(incoming) ? incoming : crypto.randomUUID();
  request.started = Date.now();
}

export function onError(error: unknown, request: GatewayRequest): Response {
  return errorResponse(error, request.traceId ?? crypto.randomUUID());
}

export function finish(response: Response, request: GatewayRequest): Response {
  // Responses from fetch or RPC can have immutable headers.
  const out = new Response(response.body, response);
  out.headers.set("x-trace-id", request.traceId);
  withCors(out, request, request.caller?.tenant);
  if (request.rateLimit) rateLimitHeaders(out.headers, request.rateLimit);
  log({
    kind: "request",
    traceId: request.traceId,
    tenantId: request.caller?.tenant.id,
    service: "gateway",
    route: `${request.method} ${request.route ?? "(no route)"}`,
    status: out.status,
    latencyMs: Date.now() - request.started,
  });
  return out;
}
