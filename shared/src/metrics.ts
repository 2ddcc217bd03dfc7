// Metrics events: one per gateway request and one per AI call, and their one Workers Analytics Engine layout
// (index = tenant id; blobs and doubles below, documented in docs/observability.md). Never prompts, documents or keys.
import type { AiRunner } from "./ai/types.ts";

/** One event. Strings are "" and numbers 0 when they do not apply, so every data point has the same columns. */
export interface MetricEvent {
  kind: "request" | "ai_call";
  tenantId: string;
  keyId: string;
  /** The request's route pattern ("POST /v1/chat"), or "ai.<route>" for an AI call. */
  route: string;
  /** The worker that wrote it. */
  service: string;
  traceId: string;
  /** HTTP status, or for an AI call 200 (ok) / 502 (error). */
  status: number;
  /** The envelope's error code ("" when ok). */
  errorCode: string;
  latencyMs: number;
  "gen_ai.operation.name": string;
  "gen_ai.request.model": string;
  "gen_ai.provider.name": string;
  "gen_ai.usage.input_tokens": number;
  "gen_ai.usage.output_tokens": number;
  /** HIT | MISS | BYPASS, or "" when the route has no cache. */
  cache: string;
  /** Tool executions: ok | error | denied | timeout (the tool's outcome), else "". */
  toolOutcome: string;
  /** Search and retrieve: candidates found on each side, and 1 when reranked. */
  semanticHits: number;
  keywordHits: number;
  reranked: number;
  ttsCharacters: number;
}

/** The columns of one Analytics Engine data point, in order: blobN is BLOBS[N-1], doubleN is DOUBLES[N-1]. */
export const BLOBS = [
  "kind",
  "route",
  "errorCode",
  "keyId",
  "gen_ai.request.model",
  "gen_ai.provider.name",
  "gen_ai.operation.name",
  "cache",
  "toolOutcome",
  "service",
  "traceId",
] as const satisfies readonly (keyof MetricEvent)[];

export const DOUBLES = [
  "status",
  "latencyMs",
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.output_tokens",
  "semanticHits",
  "keywordHits",
  "reranked",
  "ttsCharacters",
] as const satisfies readonly (keyof MetricEvent)[];

/** The Analytics Engine column holding `field` ("blob3", "double2"). */
export function column(field: (typeof BLOBS)[number] | (typeof DOUBLES)[number]): string {
  const b = (BLOBS as readonly string[]).indexOf(field);
  if (b >= 0) return `blob${b + 1}`;
  return `double${(DOUBLES as readonly string[]).indexOf(field) + 1}`;
}

/** What an Analytics Engine dataset binding accepts (AnalyticsEngineDataset). */
export interface MetricsSink {
  writeDataPoint(point: { indexes: string[]; blobs: string[]; doubles: number[] }): void;
}

export function dataPoint(event: MetricEvent): { indexes: string[]; blobs: string[]; doubles: number[] } {
  return {
    indexes: [event.tenantId],
    blobs: BLOBS.map((field) => String(event[field])),
    doubles: DOUBLES.map((field) => Number(event[field]) || 0),
  };
}

/** An event with every field that does not apply empty, so callers set only what they know. */
export function metricEvent(fields: Partial<MetricEvent> & Pick<MetricEvent, "kind" | "tenantId" | "route" | "service" | "status" | "latencyMs">): MetricEvent {
  return {
    keyId: "",
    traceId: "",
    errorCode: "",
    "gen_ai.operation.name": "",
    "gen_ai.request.model": "",
    "gen_ai.provider.name": "",
    "gen_ai.usage.input_tokens": 0,
    "gen_ai.usage.output_tokens": 0,
    cache: "",
    toolOutcome: "",
    semanticHits: 0,
    keywordHits: 0,
    reranked: 0,
    ttsCharacters: 0,
    ...fields,
  };
}

/** Writes one event; a metrics failure never fails the request it describes. */
export function writeMetric(sink: MetricsSink | undefined, event: MetricEvent): void {
  if (!sink) return;
  try {
    sink.writeDataPoint(dataPoint(event));
  } catch {
    // Analytics Engine drops points past its per-invocation limit; the request goes on.
  }
}

/**
 * A service's `env.AI` as the AI path's runner, carrying the service's METRICS dataset when this environment binds
 * one (staging, production), so every AI call writes its event (shared/src/ai/call.ts).
 */
export function meteredAi(env: { AI: unknown }): AiRunner {
  const ai = env.AI as AiRunner;
  const metrics = (env as { METRICS?: MetricsSink }).METRICS;
  // The service's env rides along for OpenAI-compatible providers (their key is a secret of the service, by name).
  const providerEnv = env as Readonly<Record<string, unknown>>;
  return { run: (model, inputs, options) => ai.run(model, inputs, options), ...(metrics ? { metrics } : {}), providerEnv };
}
