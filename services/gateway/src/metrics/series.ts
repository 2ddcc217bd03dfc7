// Folds the rows of a usage query into the time series /v1/usage and /v1/admin/usage answer: one entry per interval
// (empty intervals included), per tenant when the query spans tenants.
import { GRANULARITY_MS, type FactRow, type LatencyRow, type UsageQuery } from "./query.ts";

export interface RouteStats {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}
export interface ModelTokens {
  requests: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  ttsCharacters: number;
}
export interface CacheStats {
  hits: number;
  lookups: number;
  /** hits / lookups, or null before any lookup. */
  hitRate: number | null;
}
export interface UsageInterval {
  start: string;
  end: string;
  requests: number;
  errors: number;
  errorsByCode: Record<string, number>;
  routes: Record<string, RouteStats>;
  models: Record<string, ModelTokens>;
  cache: { chat: CacheStats; search: CacheStats };
  toolCalls: Record<string, number>;
  ttsCharacters: number;
}

const cacheSide = (route: string): "chat" | "search" | undefined =>
  /\/chat(\/completions)?$/.test(route) ? "chat" : /\/search$/.test(route) ? "search" : undefined;

function emptyInterval(start: number, size: number): UsageInterval {
  const cache = () => ({ hits: 0, lookups: 0, hitRate: null });
  return {
    start: new Date(start).toISOString(),
    end: new Date(start + size).toISOString(),
    requests: 0,
    errors: 0,
    errorsByCode: {},
    routes: {},
    models: {},
    cache: { chat: cache(), search: cache() },
    toolCalls: {},
    ttsCharacters: 0,
  };
}

const add = (record: Record<string, number>, key: string, n: number) => (record[key] = (record[key] ?? 0) + n);

/** One series per tenant in the rows (and per tenant in `seed`, even without rows), each with every interval of the query. */
export function buildSeries(query: UsageQuery, facts: readonly FactRow[], latencies: readonly LatencyRow[], seed: readonly string[] = []): Map<string, UsageInterval[]> {
  const size = GRANULARITY_MS[query.granularity];
  const byTenant = new Map<string, Map<number, UsageInterval>>();
  const interval = (tenantId: string, bucket: number): UsageInterval => {
    let series = byTenant.get(tenantId);
    if (!series) {
      series = new Map();
      for (let start = query.from; start < query.to; start += size) series.set(start, emptyInterval(start, size));
      byTenant.set(tenantId, series);
    }
    let entry = series.get(bucket);
    if (!entry) series.set(bucket, (entry = emptyInterval(bucket, size)));
    return entry;
  };
  for (const tenantId of seed) interval(tenantId, query.from);
  for (const row of facts) {
    const entry = interval(row.tenantId, row.bucket);
    const route = (entry.routes[row.route] ??= { requests: 0, errors: 0, p50: 0, p95: 0, p99: 0 });
    entry.requests += row.requests;
    route.requests += row.requests;
    if (row.errorCode) {
      entry.errors += row.requests;
      route.errors += row.requests;
      add(entry.errorsByCode, row.errorCode, row.requests);
    }
    if (row.model) {
      const model = (entry.models[row.model] ??= { requests: 0, errors: 0, tokensIn: 0, tokensOut: 0, ttsCharacters: 0 });
      model.requests += row.requests;
      if (row.errorCode) model.errors += row.requests;
      model.ttsCharacters += row.ttsCharacters;
      model.tokensIn += row.tokensIn;
      model.tokensOut += row.tokensOut;
    }
    const side = cacheSide(row.route);
    if (side && (row.cache === "HIT" || row.cache === "MISS")) {
      const cache = entry.cache[side];
      cache.lookups += row.requests;
      if (row.cache === "HIT") cache.hits += row.requests;
      cache.hitRate = cache.hits / cache.lookups;
    }
    if (row.toolOutcome) add(entry.toolCalls, row.toolOutcome, row.requests);
    entry.ttsCharacters += row.ttsCharacters;
  }
  for (const row of latencies) {
    const route = interval(row.tenantId, row.bucket).routes[row.route];
    if (route) Object.assign(route, { p50: row.p50, p95: row.p95, p99: row.p99 });
  }
  return new Map([...byTenant].map(([tenantId, series]) => [tenantId, [...series.values()].sort((a, b) => a.start.localeCompare(b.start))]));
}
