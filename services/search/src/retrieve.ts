// Retrieval: semantic hits from Vectorize (namespace = tenant) and BM25 hits from D1 FTS5, fused with reciprocal
// rank fusion, hydrated from D1 (hits without a row are stale and dropped) and optionally reranked.
import { runEmbedding, SEARCH_LIMITS, type AiRunner, type RequestContext, type RetrievalCounts, type RetrieveInput, type RetrieveResult, type RetrievedChunk } from "@platform/shared";
import { chunksByIds, keywordSearch, toChunk, type ChunkRow } from "./chunk-rows.ts";
import { reciprocalRankFusion, type Fused, type RankedList } from "./fuse.ts";
import { rewriteQuery, type RewrittenQuery } from "./query-rewrite.ts";
import { rerank } from "./rerank.ts";

export interface RetrieveDeps {
  db: D1Database;
  index: Pick<Vectorize, "query">;
  ai: AiRunner;
}

export interface Retrieval extends RetrieveResult {
  rewrite: RewrittenQuery;
}

interface Side {
  ids: string[];
  scores: Map<string, number>;
}

export function candidateCount(topK: number, reranking: boolean): number {
  const wanted = Math.max(topK * SEARCH_LIMITS.candidatesPerResult, SEARCH_LIMITS.minCandidates, reranking ? SEARCH_LIMITS.rerankMax : 0);
  return Math.min(SEARCH_LIMITS.maxCandidates, wanted);
}

export async function retrieve(deps: RetrieveDeps, ctx: RequestContext, input: RetrieveInput, rewrite: RewrittenQuery = rewriteQuery(input.query)): Promise<Retrieval> {
  const mode = input.mode ?? "hybrid";
  const topK = input.topK ?? ctx.tenant.rag.topK;
  const reranking = input.rerank === true;
  const limit = candidateCount(topK, reranking);
  const usage = { embeddingTokens: 0, rerankTokens: 0, total_tokens: 0 };

  const semanticSide = async (): Promise<Side & { rows: Map<string, ChunkRow> }> => {
    const embedded = await runEmbedding({ ai: deps.ai, ctx, service: "search" }, [rewrite.rewritten]);
    usage.embeddingTokens = embedded.usage.total_tokens;
    const options: VectorizeQueryOptions = { topK: limit, namespace: ctx.tenantId, returnMetadata: "none" };
    if (input.filter) options.filter = input.filter as VectorizeVectorMetadataFilter;
    const { matches } = await deps.index.query(embedded.data[0]!, options);
    const ids = matches.map((m) => m.id);
    return { ids, scores: new Map(matches.map((m) => [m.id, m.score])), rows: await chunksByIds(deps.db, ctx.tenantId, ids) };
  };
  const keywordSide = async (): Promise<Side & { rows: Map<string, ChunkRow> }> => {
    const rows = await keywordSearch(deps.db, ctx.tenantId, rewrite.keywords, input.filter, limit);
    return { ids: rows.map((r) => r.id), scores: new Map(rows.map((r) => [r.id, r.score])), rows: new Map(rows.map((r) => [r.id, r])) };
  };
  const none = { ids: [], scores: new Map<string, number>(), rows: new Map<string, ChunkRow>() };
  const [semantic, keyword] = await Promise.all([mode === "keyword" ? none : semanticSide(), mode === "semantic" ? none : keywordSide()]);

  const lists: RankedList[] = [];
  if (mode !== "keyword") lists.push({ name: "semantic", ids: semantic.ids });
  if (mode !== "semantic") lists.push({ name: "keyword", ids: keyword.ids });
  const rows = new Map([...semantic.rows, ...keyword.rows]);
  const fused = reciprocalRankFusion(lists);
  const live = fused.filter((f) => rows.has(f.id));
  const counts: RetrievalCounts = { semantic: semantic.ids.length, keyword: keyword.ids.length, fused: live.length, stale: fused.length - live.length };

  const score = (f: Fused) => (mode === "semantic" ? (semantic.scores.get(f.id) ?? 0) : mode === "keyword" ? (keyword.scores.get(f.id) ?? 0) : f.score);
  let chunks: RetrievedChunk[];
  if (reranking && live.length > 0) {
    const pool = live.slice(0, SEARCH_LIMITS.rerankMax).map((f) => toChunk(rows.get(f.id)!, score(f), { ...f.ranks }));
    const result = await rerank({ ai: deps.ai, ctx, service: "search" }, rewrite.rewritten, pool.map(rerankText));
    usage.rerankTokens = result.tokens;
    chunks = pool
      .map((chunk, i) => ({ chunk, rerankScore: result.scores[i]!, i }))
      .sort((a, b) => b.rerankScore - a.rerankScore || a.i - b.i)
      .slice(0, topK)
      .map(({ chunk, rerankScore }, i) => ({ ...chunk, score: round(rerankScore), ranks: { ...chunk.ranks, rerank: i + 1 } }));
  } else {
    chunks = live.slice(0, topK).map((f) => toChunk(rows.get(f.id)!, round(score(f)), { ...f.ranks }));
  }
  usage.total_tokens = usage.embeddingTokens + usage.rerankTokens;
  return { chunks, mode, reranked: reranking && live.length > 0, counts, usage, rewrite };
}

function rerankText(chunk: RetrievedChunk): string {
  const context = [chunk.title, ...chunk.headings].filter((h, i, all) => h && all.indexOf(h) === i).join(" > ");
  return context ? `${context}\n${chunk.text}` : chunk.text;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
