// Reranking through the shared AI path (model choice, AI Gateway, timeout): shared/src/ai.ts has no rerank call,
// so this wraps its `withFallback` with the reranker's shape. The model needs `query` although the published type
// omits it (workerd #4151).
import { estimateTokens, gatewayOption, log, withFallback, type AiCallOptions } from "@platform/shared";

export interface RerankResult {
  /** Relevance per text, in the order given (0..1 for bge-reranker-base). */
  scores: number[];
  model: string;
  /** Estimated: the reranker reports no usage. */
  tokens: number;
}

export async function rerank(options: AiCallOptions, query: string, texts: readonly string[]): Promise<RerankResult> {
  const started = Date.now();
  const gateway = gatewayOption(options.ctx, options.service, options.metadata);
  const inputs = { query, contexts: texts.map((text) => ({ text })) };
  const { model, value } = await withFallback(options, "rerank", (m) => options.ai.run(m, inputs, gateway ? { gateway } : {}));
  const scores: number[] = texts.map(() => 0);
  const response = typeof value === "object" && value !== null ? (value as { response?: unknown }).response : undefined;
  if (!Array.isArray(response)) throw new Error(`the reranker ${model} returned no scores`);
  for (const item of response as { id?: unknown; score?: unknown }[]) {
    if (typeof item.id === "number" && typeof item.score === "number" && item.id >= 0 && item.id < texts.length) scores[item.id] = item.score;
  }
  const tokens = estimateTokens(query.length * texts.length + texts.reduce((sum, t) => sum + t.length, 0));
  const { ctx, service } = options;
  log({ kind: "rpc", traceId: ctx.traceId, tenantId: ctx.tenantId, service, route: "ai.rerank", status: "ok", latencyMs: Date.now() - started, model, tokensIn: tokens, tokensOut: 0 });
  return { scores, model, tokens };
}
