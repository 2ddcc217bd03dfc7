// Retrieval: semantic hits from Vectorize (namespace = tenant) and BM25 hits from D1 FTS5, queried in parallel and
// fused by a weighted combination of normalised scores; only the hits that make the cut are read from D1 (hits
// without a row are stale and dropped), in one statement, and optionally reranked.
import { INDEX_DIMENSIONS, runEmbedding, SEARCH_LIMITS, type AiRunner, type RequestContext, type RetrievalCounts, type RetrieveInput, type RetrieveResult, type RetrievedChunk } from "@platform/shared";
import { hydrate, keywordSearch, toChunk, typoTolerantSearch, type ChunkRow, type Hit, type Hydrated } from "@platform/ingest/documents-db";
import { fuseScores, KEYWORD_WEIGHT, type Fused, type ScoredList } from "./fuse.ts";
import { rewriteQuery, type RewrittenQuery } from "./query-rewrite.ts";
import { rerank } from "./rerank.ts";

export interface RetrieveDeps {
  db: D1Database;
  index: Pick<Vectorize, "query">;
  ai: AiRunner;
  /** The keyword side's share in hybrid fusion when the tenant sets none (`fusionKeywordWeight`). */
  keywordWeight?: number;
}

export interface Retrieval extends RetrieveResult {
  rewrite: RewrittenQuery;
}

/**
 * Candidates each side contributes. Fused, five per result wanted (at least 50, at most Vectorize's topK limit), so
 * a hit one side ranks low can still rise with the other side's vote, and each side's best score (the normaliser)
 * is seen. One side alone returns its own order: max(topK, 20), or the rerank pool.
 */
export const CANDIDATES_PER_RESULT = 5;
export const MIN_FUSION_CANDIDATES = 50;
const MIN_SINGLE_CANDIDATES = 20;

export function candidateCount(topK: number, reranking: boolean, fused = true): number {
  const wanted = fused ? Math.max(topK * CANDIDATES_PER_RESULT, MIN_FUSION_CANDIDATES) : Math.max(topK, MIN_SINGLE_CANDIDATES);
  return Math.min(SEARCH_LIMITS.maxCandidates, Math.max(wanted, reranking ? SEARCH_LIMITS.rerankMax : 0));
}

export async function retrieve(deps: RetrieveDeps, ctx: RequestContext, input: RetrieveInput, rewrite: RewrittenQuery = rewriteQuery(input.query)): Promise<Retrieval> {
  const mode = input.mode ?? "hybrid";
  const topK = input.topK ?? ctx.tenant.rag.topK;
  const reranking = input.rerank === true;
  const limit = candidateCount(topK, reranking, mode === "hybrid");
  const usage = { embeddingTokens: 0, rerankTokens: 0, total_tokens: 0 };

  const semanticSide = async (): Promise<Hit[]> => {
    const embedded = await runEmbedding({ ai: deps.ai, ctx, service: "search" }, [rewrite.rewritten], INDEX_DIMENSIONS);
    usage.embeddingTokens = embedded.usage.total_tokens;
    const options: VectorizeQueryOptions = { topK: limit, namespace: ctx.tenantId, returnMetadata: "none" };
    if (input.filter) options.filter = input.filter as VectorizeVectorMetadataFilter;
    const { matches } = await deps.index.query(embedded.data[0]!, options);
    return matches.map((m) => ({ id: m.id, score: m.score }));
  };
  // Keyword mode is plain BM25 of the words as given, its rows read with the match (one statement). Hybrid's keyword
  // side also matches a word the tenant's documents lack by its one-typo variants they hold; it reads only the rows
  // that make the cut.
  let keywordRows: (ChunkRow & Hit)[] | undefined;
  const keywordSide = async (): Promise<Hit[]> => {
    if (mode !== "keyword") return typoTolerantSearch(deps.db, ctx.tenantId, rewrite.keywords, input.filter, limit);
    keywordRows = await keywordSearch(deps.db, ctx.tenantId, rewrite.keywords, input.filter, limit);
    return keywordRows;
  };
  const [semantic, keyword] = await Promise.all([mode === "keyword" ? [] : semanticSide(), mode === "semantic" ? [] : keywordSide()]);

  const keywordWeight = ctx.tenant.rag.fusion?.keywordWeight ?? deps.keywordWeight ?? KEYWORD_WEIGHT;
  const lists: ScoredList[] = [];
  if (mode !== "keyword") lists.push({ name: "semantic", hits: semantic, weight: mode === "hybrid" ? 1 - keywordWeight : 1, limit });
  if (mode !== "semantic") lists.push({ name: "keyword", hits: keyword, weight: mode === "hybrid" ? keywordWeight : 1, limit });
  const fused = fuseScores(lists);
  const pool = reranking ? Math.max(topK, SEARCH_LIMITS.rerankMax) : topK;
  const { rows, live }: Hydrated = keywordRows
    ? { rows: new Map(keywordRows.map((r) => [r.id, r])), live: new Set(keywordRows.map((r) => r.id)) }
    : await hydrate(deps.db, ctx.tenantId, fused.map((f) => f.id), pool);
  const chosen = fused.filter((f) => rows.has(f.id));
  const counts: RetrievalCounts = { semantic: semantic.length, keyword: keyword.length, fused: live.size, stale: fused.length - live.size };

  // One side alone reports its own score (cosine similarity or BM25); hybrid reports the fused score.
  const raw = new Map((mode === "semantic" ? semantic : mode === "keyword" ? keyword : []).map((h) => [h.id, h.score]));
  const score = (f: Fused) => (mode === "hybrid" ? f.score : (raw.get(f.id) ?? 0));
  let chunks: RetrievedChunk[];
  if (reranking && chosen.length > 0) {
    const candidates = chosen.slice(0, SEARCH_LIMITS.rerankMax).map((f) => toChunk(rows.get(f.id)!, score(f), { ...f.ranks }));
    const result = await rerank({ ai: deps.ai, ctx, service: "search" }, rewrite.rewritten, candidates.map(rerankText));
    usage.rerankTokens = result.tokens;
    chunks = candidates
      .map((chunk, i) => ({ chunk, rerankScore: result.scores[i]!, i }))
      .sort((a, b) => b.rerankScore - a.rerankScore || a.i - b.i)
      .slice(0, topK)
      .map(({ chunk, rerankScore }, i) => ({ ...chunk, score: round(rerankScore), ranks: { ...chunk.ranks, rerank: i + 1 } }));
  } else {
    chunks = chosen.slice(0, topK).map((f) => toChunk(rows.get(f.id)!, round(score(f)), { ...f.ranks }));
  }
  usage.total_tokens = usage.embeddingTokens + usage.rerankTokens;
  return { chunks, mode, reranked: reranking && chosen.length > 0, counts, usage, rewrite };
}

function rerankText(chunk: RetrievedChunk): string {
  const context = [chunk.title, ...chunk.headings].filter((h, i, all) => h && all.indexOf(h) === i).join(" > ");
  return context ? `${context}\n${chunk.text}` : chunk.text;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
