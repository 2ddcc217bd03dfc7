// Search: rewrite the query, answer from the tenant's cache when it can, else retrieve, judge the evidence, generate
// a cited answer (only when the evidence holds up), suggest follow-ups and explain why.
import { log, type RequestContext, type SearchInput, type SearchResult, type SearchSource } from "@platform/shared";
import { generateAnswer, saysDontKnow, weakEvidenceAnswer } from "./answer.ts";
import { cacheable, cacheKey, readCache, writeCache } from "./cache.ts";
import { indexVersion } from "@platform/ingest/documents-db";
import { assessConfidence, capConfidence } from "./confidence.ts";
import { followUps } from "./follow-ups.ts";
import { rewriteQuery } from "./query-rewrite.ts";
import { retrieve, type RetrieveDeps } from "./retrieve.ts";

export interface SearchDeps extends RetrieveDeps {
  kv: KVNamespace;
  /** Keeps the cache write alive after the response. */
  waitUntil(promise: Promise<unknown>): void;
  /** How long after an index change results are not cached (Vectorize's write delay). */
  settleMs: number;
}

const SNIPPET_CHARS = 240;

export async function search(deps: SearchDeps, ctx: RequestContext, input: SearchInput): Promise<SearchResult> {
  const started = Date.now();
  const rewrite = rewriteQuery(input.query);
  const mode = input.mode ?? "hybrid";
  const topK = input.topK ?? ctx.tenant.rag.topK;
  const rerank = input.rerank ?? true;
  const wantAnswer = input.answer ?? true;
  const useCache = input.cache !== false;
  const index = await indexVersion(deps.db, ctx.tenantId);
  const key = await cacheKey(ctx.tenantId, index.version, { query: input.query, topK, mode, rerank, answer: wantAnswer, filter: input.filter });

  if (useCache) {
    const hit = await readCache(deps.kv, key).catch(() => null);
    if (hit) {
      log({ kind: "rpc", traceId: ctx.traceId, tenantId: ctx.tenantId, service: "search", route: "search.cache", status: "ok", latencyMs: Date.now() - started, cache: "HIT" });
      return { ...hit, why: { ...hit.why, cache: "hit" }, usage: { embeddingTokens: 0, rerankTokens: 0, total_tokens: 0 } };
    }
  }

  const retrieval = await retrieve(deps, ctx, { query: input.query, topK, mode, rerank, filter: input.filter }, rewrite);
  const { chunks, usage } = retrieval;
  let confidence = assessConfidence(chunks, rewrite.keywords, retrieval.reranked);
  const strong = confidence.level === "high" || confidence.level === "medium";
  let answer = weakEvidenceAnswer(rewrite.rewritten, chunks, confidence.score);
  let generated = false;
  if (wantAnswer && strong) {
    const result = await generateAnswer(deps.ai, ctx, rewrite.rewritten, chunks);
    usage.chat = result.usage;
    usage.total_tokens += result.usage.total_tokens;
    answer = result;
    generated = true;
    if (saysDontKnow(result.text)) confidence = capConfidence(confidence, "low", "the model found no answer in the passages");
    else if (result.cited.size === 0) confidence = capConfidence(confidence, "low", "the answer cites no passage");
  } else if (!wantAnswer) {
    answer = { text: "", cited: new Set() };
  }

  const sources = chunks.map((c, i): SearchSource => ({
    n: i + 1,
    docId: c.docId,
    chunkId: c.chunkId,
    title: c.title ?? null,
    url: c.url ?? null,
    snippet: snippet(c.text, rewrite.keywords),
    score: c.score,
    cited: answer.cited.has(i + 1),
    ...(typeof c.metadata.page === "number" ? { page: c.metadata.page } : {}),
  }));
  const result: SearchResult = {
    answer: answer.text,
    sources,
    confidence,
    followUps: followUps(rewrite.rewritten, rewrite.keywords, rewrite.intent, chunks, confidence.level),
    why: {
      query: input.query,
      rewrittenQuery: rewrite.rewritten,
      keywords: rewrite.keywords,
      intent: rewrite.intent,
      mode,
      reranked: retrieval.reranked,
      counts: retrieval.counts,
      cache: useCache ? "miss" : "bypass",
      indexVersion: index.version,
      generated,
    },
    usage,
  };
  if (useCache && cacheable(index.changedAt, deps.settleMs)) deps.waitUntil(writeCache(deps.kv, key, result, ctx.tenant.cache.ttlSeconds).catch(() => {}));
  log({ kind: "rpc", traceId: ctx.traceId, tenantId: ctx.tenantId, service: "search", route: "search.cache", status: "ok", latencyMs: Date.now() - started, cache: useCache ? "MISS" : "BYPASS" });
  return result;
}

/** About SNIPPET_CHARS of the chunk around its first keyword, cut at word boundaries. */
export function snippet(text: string, keywords: readonly string[]): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= SNIPPET_CHARS) return flat;
  const lower = flat.toLowerCase();
  const hits = keywords.map((k) => lower.search(new RegExp(`\\b${k.replace(/[^\p{L}\p{N}]/gu, "")}`, "u"))).filter((i) => i >= 0);
  const at = hits.length ? Math.min(...hits) : 0;
  let start = Math.max(0, at - Math.floor(SNIPPET_CHARS / 3));
  if (start > 0) start = flat.indexOf(" ", start) + 1 || start;
  let end = Math.min(flat.length, start + SNIPPET_CHARS);
  if (end < flat.length) end = flat.lastIndexOf(" ", end) > start ? flat.lastIndexOf(" ", end) : end;
  return `${start > 0 ? "…" : ""}${flat.slice(start, end)}${end < flat.length ? "…" : ""}`;
}
