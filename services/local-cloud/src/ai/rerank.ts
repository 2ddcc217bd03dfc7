// Reranker twin (@cf/baai/bge-reranker-base): scores each context against the query by lexical overlap,
// squashed into 0..1 like the real cross-encoder's sigmoid, best first.
import { embed, embedText } from "./embed.ts";
import { invalidInput } from "./errors.ts";
import { isRecord } from "@platform/shared";
import { terms } from "./text.ts";

export interface RerankOutput {
  response: { id: number; score: number }[];
}

const RERANK_DIMENSIONS = 1024;

export function rerank(inputs: unknown): RerankOutput {
  if (!isRecord(inputs)) throw invalidInput("inputs must be an object with `query` and `contexts`");
  const { query, contexts, top_k: topK } = inputs;
  // The published input type omits `query` (workerd #4151) but the model requires it.
  if (typeof query !== "string" || query.trim() === "") throw invalidInput("required property `query` is missing (a non-empty string)");
  if (!Array.isArray(contexts)) throw invalidInput("required property `contexts` must be an array of { text }");
  const texts = contexts.map((c, i) => {
    if (!isRecord(c) || (c.text !== undefined && typeof c.text !== "string")) throw invalidInput(`contexts[${i}] must be { text: string }`);
    return typeof c.text === "string" ? c.text : "";
  });
  if (topK !== undefined && (typeof topK !== "number" || !Number.isInteger(topK) || topK < 1)) throw invalidInput("`top_k` must be a positive integer");
  const scored = texts.map((text, id) => ({ id, score: relevance(query, text) }));
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return { response: topK === undefined ? scored : scored.slice(0, topK) };
}

/** 0..1: the share of the query's content terms the text contains, blended with lexical cosine. */
export function relevance(query: string, text: string): number {
  const queryTerms = [...new Set(terms(query))];
  const textTerms = new Set(terms(text));
  const coverage = queryTerms.length === 0 ? 0 : queryTerms.filter((t) => textTerms.has(t)).length / queryTerms.length;
  const a = embedText(query, RERANK_DIMENSIONS);
  const b = embedText(text, RERANK_DIMENSIONS);
  let cosine = 0;
  for (let i = 0; i < RERANK_DIMENSIONS; i++) cosine += a[i]! * b[i]!;
  const logit = 9 * (0.7 * coverage + 0.3 * Math.max(0, cosine)) - 4;
  return Math.round((1 / (1 + Math.exp(-logit))) * 1e6) / 1e6;
}

/** bge-m3's other form, { query?, contexts }: scores with a query (as the reranker does), else context embeddings. */
export function embedContexts(inputs: Record<string, unknown>): RerankOutput | { response: number[][]; shape: number[] } {
  if (inputs.query !== undefined) return rerank(inputs);
  if (!Array.isArray(inputs.contexts)) throw invalidInput("`contexts` must be an array of { text }");
  const texts = inputs.contexts.map((c) => (isRecord(c) && typeof c.text === "string" ? c.text : ""));
  const { data, shape } = embed({ text: texts }, M3_DIMENSIONS);
  return { response: data, shape };
}

const M3_DIMENSIONS = 1024;
