// Reranking through the platform's one AI call (shared/src/ai/call.ts: model choice, AI Gateway, timeout, outcome
// line); this module knows only the reranker's shapes. The model needs `query` although the published type omits
// it (workerd #4151).
import { AppError, callAi, estimateTokens, inputUsage, type AiCallOptions } from "@platform/shared";

export interface RerankResult {
  /** Relevance per text, in the order given (0..1 for bge-reranker-base). */
  scores: number[];
  model: string;
  /** Estimated: the reranker reports no usage. */
  tokens: number;
}

export async function rerank(options: AiCallOptions, query: string, texts: readonly string[]): Promise<RerankResult> {
  const tokens = estimateTokens(query.length * texts.length + texts.reduce((sum, t) => sum + t.length, 0));
  const { model, result } = await callAi(options, {
    route: "rerank",
    inputs: { query, contexts: texts.map((text) => ({ text })) },
    read(value, model) {
      const response = typeof value === "object" && value !== null ? (value as { response?: unknown }).response : undefined;
      if (!Array.isArray(response)) throw new AppError("upstream_error", `the reranker ${model} returned no scores`);
      return { result: scoresOf(response, texts.length), usage: inputUsage(tokens) };
    },
  });
  return { scores: result, model, tokens };
}

function scoresOf(response: readonly unknown[], count: number): number[] {
  const scores: number[] = Array.from({ length: count }, () => 0);
  for (const item of response as { id?: unknown; score?: unknown }[]) {
    if (typeof item.id === "number" && typeof item.score === "number" && item.id >= 0 && item.id < count) scores[item.id] = item.score;
  }
  return scores;
}
