// The search result cache in KV: keys carry the tenant, its index version (bumped by every ingest and delete, so an
// ingest invalidates them) and a hash of the normalised query and options.
import type { MetadataFilter, SearchResult } from "@platform/shared";
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

/** JSON with object keys sorted at every level, so equal filters make equal keys. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export async function cacheKey(tenantId: string, indexVersion: number, input: CacheKeyInput): Promise<string> {
  const material = stableJson({ ...input, query: normalizeQuery(input.query) });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${tenantId}:search:v${indexVersion}:${hex}`;
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
