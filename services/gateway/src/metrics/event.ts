// The request event the gateway writes in its finish step: who, which route, how it ended, how long it took, and what
// the AI routes reported (model, tokens, cache, search counts, TTS characters). Never bodies, prompts or keys.
import { chooseModel, metricEvent, WORKERS_AI_PROVIDER, type LogLine, type MetricEvent, type RetrievalUsage, type TenantSettings } from "@platform/shared";
import type { Caller } from "../auth.ts";

/** What the event reads of a GatewayRequest (request.ts imports this module, so not the type itself). */
export interface RequestFacts {
  method: string;
  route?: string;
  traceId: string;
  caller?: Caller;
  ai?: Pick<LogLine, "model" | "tokensIn" | "tokensOut" | "cache">;
  errorCode?: string;
  metrics?: Partial<Pick<MetricEvent, "semanticHits" | "keywordHits" | "reranked" | "ttsCharacters" | "cache">>;
}

const OPERATIONS: [RegExp, string][] = [
  [/\/(chat|completions)/, "chat"],
  [/\/embeddings/, "embeddings"],
  [/\/(search|retrieve)/, "retrieval"],
  [/\/(tts|audio)/, "text_to_speech"],
  [/\/tools\/execute/, "execute_tool"],
];

export function requestEvent(request: RequestFacts, status: number, latencyMs: number): MetricEvent | undefined {
  const caller = request.caller;
  if (!caller) return undefined; // no tenant to index it under (401s, preflights, /health)
  const route = `${request.method} ${request.route ?? "(no route)"}`;
  const ai = request.ai ?? {};
  const model = ai.model ?? "";
  const errorCode = status >= 400 ? (request.errorCode ?? "internal") : "";
  return metricEvent({
    kind: "request",
    tenantId: caller.tenant.id,
    keyId: caller.keyId,
    route,
    service: "gateway",
    traceId: request.traceId,
    status,
    errorCode,
    latencyMs,
    "gen_ai.operation.name": model ? (OPERATIONS.find(([re]) => re.test(route))?.[1] ?? "") : "",
    "gen_ai.request.model": model,
    "gen_ai.provider.name": model ? WORKERS_AI_PROVIDER : "",
    "gen_ai.usage.input_tokens": ai.tokensIn ?? 0,
    "gen_ai.usage.output_tokens": ai.tokensOut ?? 0,
    cache: ai.cache ?? "",
    toolOutcome: /\/tools\/execute$/.test(route) ? errorCode || "ok" : "",
    ...request.metrics,
  });
}

interface RetrievalOutcome {
  usage: RetrievalUsage;
  reranked: boolean;
  counts: { semantic: number; keyword: number };
  cache?: string;
}

/**
 * What a search or retrieve reports for its request's event: the side counts, rerank, cache, and its tokens under the
 * model that spent most of them (the answer model for a generated search, else the embedding model).
 */
export function noteRetrieval(request: Pick<RequestFacts, "ai" | "metrics">, tenant: TenantSettings, result: RetrievalOutcome): void {
  const { usage } = result;
  const model = usage.chat ? chooseModel(tenant, "chat") : chooseModel(tenant, "embedding");
  const cache = result.cache ? result.cache.toUpperCase() : "";
  request.ai = { model, tokensIn: usage.total_tokens - (usage.chat?.completion_tokens ?? 0), tokensOut: usage.chat?.completion_tokens ?? 0 };
  request.metrics = { semanticHits: result.counts.semantic, keywordHits: result.counts.keyword, reranked: result.reranked ? 1 : 0, cache };
}
