// The search result cache in KV: keys carry the tenant, its index version (bumped by every ingest and delete, so an
// ingest invalidates them) and a hash of the normalised query and options.
import { sha256Hex, stableJson, type MetadataFilter, type SearchResult } from "@platform/shared";
import { normalizeQuery } from "./query-rewrite.ts";

export interface CacheKeyInput {
  query: string;
  topK: number;
  mode: string;
  rerank: boolean;
  answer: boolean;
  filter?: MetadataFilter | undefined;
}

export type CachedResult = Omit<SearchResult, "usage">;

export async function cacheKey(tenantId: string, indexVersion: number, input: CacheKeyInput): Promise<string> {
  // Keys sorted at every level, so equal filters make equal keys.
  const material = stableJson({ ...input, query: normalizeQuery(input.query) });
  return `${tenantId}:search:v${indexVersion}:${await sha256Hex(material)}`;
}

export async function readCache(kv: KVNamespace, key: string): Promise<CachedResult | null> {
  return kv.get<CachedResult>(key, "json");
}

/** KV's shortest expiration is 60 s. */
export function writeCache(kv: KVNamespace, key: string, result: SearchResult, ttlSeconds: number): Promise<void> {
  const { usage: _usage, ...cached } = result;
  return kv.put(key, JSON.stringify(cached), { expirationTtl: Math.max(60, ttlSeconds) });
}

/**
 * Whether results may be cached now. Vectorize applies writes asynchronously (p99 under 2 minutes), so for
 * `settleMs` after the index changed a result could miss fresh vectors and would then be cached until its TTL.
 */
export const cacheable = (changedAt: number, settleMs: number, now = Date.now()): boolean => now - changedAt >= settleMs;
