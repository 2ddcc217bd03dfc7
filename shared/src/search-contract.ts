// Search contracts: the gateway's valibot schemas for retrieve and search, and the search service's RPC types.
import * as v from "valibot";
import { estimateTokens, type TokenUsage } from "./ai/index.ts";
import type { TenantSettings } from "./tenant.ts";
import { toHex } from "./util/hash.ts";

export const SEARCH_LIMITS = {
  maxQueryChars: 1000,
  /** Search puts its results in the answer's prompt: at most 50 (retrieve returns chunks only: maxCandidates). */
  maxTopK: 50,
  maxFilterKeys: 8,
  maxFilterBytes: 2047,
  maxInValues: 20,
  /** Completion allowance for the answer. */
  answerMaxTokens: 512,
  /** Vectorize's topK limit without values or metadata; also retrieve's largest topK. */
  maxCandidates: 100,
  rerankMax: 30,
} as const;

export const RETRIEVAL_MODES = ["hybrid", "semantic", "keyword"] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];

type Scalar = string | number | boolean;
const ScalarSchema = v.union([v.pipe(v.string(), v.maxLength(256)), v.pipe(v.number(), v.finite()), v.boolean()], "filter values must be strings, numbers or booleans");
const OperatorsSchema = v.pipe(
  v.strictObject({
    $eq: v.optional(ScalarSchema),
    $ne: v.optional(ScalarSchema),
    $lt: v.optional(ScalarSchema),
    $lte: v.optional(ScalarSchema),
    $gt: v.optional(ScalarSchema),
    $gte: v.optional(ScalarSchema),
    $in: v.optional(v.pipe(v.array(ScalarSchema), v.minLength(1), v.maxLength(SEARCH_LIMITS.maxInValues))),
    $nin: v.optional(v.pipe(v.array(ScalarSchema), v.minLength(1), v.maxLength(SEARCH_LIMITS.maxInValues))),
  }),
  v.check((ops) => Object.values(ops).some((value) => value !== undefined), "an operator object needs at least one of $eq $ne $lt $lte $gt $gte $in $nin"),
);

export type FilterOperators = v.InferOutput<typeof OperatorsSchema>;
export type MetadataFilter = Record<string, Scalar | FilterOperators>;

/** Vectorize's filter grammar on flat metadata keys; the same filter is translated to SQL for the keyword side. */
export const FilterSchema = v.pipe(
  v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "filter keys are metadata keys: 1-64 letters, digits and _")), v.union([ScalarSchema, OperatorsSchema])),
  v.check((f) => Object.keys(f).length <= SEARCH_LIMITS.maxFilterKeys, `a filter may have at most ${SEARCH_LIMITS.maxFilterKeys} keys`),
  v.check((f) => new TextEncoder().encode(JSON.stringify(f)).length <= SEARCH_LIMITS.maxFilterBytes, "a filter must be under 2048 bytes of JSON"),
);

const Query = v.pipe(
  v.string("query must be a string"),
  v.trim(),
  v.minLength(1, "query must not be empty"),
  v.maxLength(SEARCH_LIMITS.maxQueryChars, `query may have at most ${SEARCH_LIMITS.maxQueryChars} characters`),
);

const TopK = (max: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max, `topK may be at most ${max}`)));

const retrieveEntries = {
  query: Query,
  topK: TopK(SEARCH_LIMITS.maxCandidates),
  filter: v.optional(FilterSchema),
  mode: v.optional(v.picklist(RETRIEVAL_MODES, `mode must be one of ${RETRIEVAL_MODES.join(", ")}`)),
  /** Rerank the fused candidates with the tenant's reranker (retrieve: off by default; search: on). */
  rerank: v.optional(v.boolean()),
};

export const RetrieveRequestSchema = v.strictObject(retrieveEntries);
export type RetrieveInput = v.InferOutput<typeof RetrieveRequestSchema>;

export const SearchRequestSchema = v.strictObject({
  ...retrieveEntries,
  topK: TopK(SEARCH_LIMITS.maxTopK),
  /** false: sources, confidence and follow-ups without a generated answer (no chat tokens). */
  answer: v.optional(v.boolean()),
  /** false: skip the tenant's result cache for this request. */
  cache: v.optional(v.boolean()),
});
export type SearchInput = v.InferOutput<typeof SearchRequestSchema>;

export interface RetrievedChunk {
  docId: string;
  chunkId: string;
  text: string;
  score: number;
  title?: string;
  url?: string;
  /** The heading path the chunk sits under, outermost first. */
  headings: string[];
  metadata: Record<string, Scalar>;
  /** 1-based rank on each side that found it. */
  ranks: { semantic?: number; keyword?: number; rerank?: number };
}

export interface RetrievalCounts {
  semantic: number;
  keyword: number;
  fused: number;
  /** Candidates dropped because their rows are gone (deleted, or replaced while Vectorize catches up). */
  stale: number;
}

export interface RetrievalUsage {
  embeddingTokens: number;
  rerankTokens: number;
  chat?: TokenUsage;
  total_tokens: number;
}

export interface RetrieveResult {
  chunks: RetrievedChunk[];
  mode: RetrievalMode;
  reranked: boolean;
  counts: RetrievalCounts;
  usage: RetrievalUsage;
}

export interface SearchSource {
  n: number;
  docId: string;
  chunkId: string;
  title: string | null;
  url: string | null;
  snippet: string;
  score: number;
  /** Whether the answer cites it. */
  cited: boolean;
  /** The page the passage is on, when the document is a PDF whose pages are known. */
  page?: number;
}

export type Intent = "definition" | "how_to" | "troubleshooting" | "comparison" | "lookup" | "question";
export type ConfidenceLevel = "high" | "medium" | "low" | "none";

export interface Confidence {
  level: ConfidenceLevel;
  /** 0..1 */
  score: number;
  note: string;
}

export interface SearchWhy {
  query: string;
  rewrittenQuery: string;
  keywords: string[];
  intent: Intent;
  mode: RetrievalMode;
  reranked: boolean;
  counts: RetrievalCounts;
  cache: "hit" | "miss" | "bypass";
  indexVersion: number;
  /** Whether the answer was generated by the model (false when evidence was too weak or `answer: false`). */
  generated: boolean;
}

export interface SearchResult {
  answer: string;
  sources: SearchSource[];
  confidence: Confidence;
  followUps: string[];
  why: SearchWhy;
  usage: RetrievalUsage;
}

/** The gateway's worst-case token reservation for a search: query embedding, rerank, prompt and answer. */
export function estimateSearchTokens(tenant: TenantSettings, input: SearchInput): number {
  const topK = input.topK ?? tenant.rag.topK;
  const queryTokens = estimateTokens(input.query.length);
  const rerankTokens = input.rerank === false ? 0 : queryTokens * SEARCH_LIMITS.rerankMax + estimateTokens(SEARCH_LIMITS.rerankMax * tenant.rag.chunkSize);
  const answerTokens = input.answer === false ? 0 : estimateTokens(topK * (tenant.rag.chunkSize + 200) + 600) + SEARCH_LIMITS.answerMaxTokens;
  return queryTokens + rerankTokens + answerTokens;
}

/** The gateway's reservation for a retrieve: the query embedding and, when asked for, the rerank; 0 for a keyword retrieve without rerank, which asks no model. */
export function estimateRetrieveTokens(tenant: TenantSettings, input: RetrieveInput): number {
  if (input.mode === "keyword" && !input.rerank) return 0;
  const queryTokens = estimateTokens(input.query.length);
  return queryTokens + (input.rerank ? queryTokens * SEARCH_LIMITS.rerankMax + estimateTokens(SEARCH_LIMITS.rerankMax * tenant.rag.chunkSize) : 0);
}

/**
 * The token that scopes FTS5 matches in the documents database to one tenant: "t" and the tenant id in hex, one token
 * for any tokenizer. Ingest writes it into every chunk row; search puts it into every MATCH (and filters on tenant_id too).
 */
export function ftsTenantToken(tenantId: string): string {
  return "t" + toHex(new TextEncoder().encode(tenantId));
}
