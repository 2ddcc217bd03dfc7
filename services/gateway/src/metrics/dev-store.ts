// MetricsStore Durable Object: development's stand-in for Workers Analytics Engine (which accepts writes locally but
// cannot be queried). One instance holds every tenant's events in the Analytics Engine layout and answers the same
// two queries the SQL API answers in staging and production (metrics/sql.ts), so /v1/usage reads alike in both.
import { DurableObject } from "cloudflare:workers";
import type { MetricEvent } from "@platform/shared";
import { nearestRank } from "./percentile.ts";
import type { FactRow, LatencyRow, UsageQuery } from "./query.ts";
import { GRANULARITY_MS } from "./query.ts";

export class MetricsStore extends DurableObject<GatewayEnv> {
  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS events (
        ts INTEGER NOT NULL, tenant_id TEXT NOT NULL, route TEXT NOT NULL, status INTEGER NOT NULL, error_code TEXT NOT NULL,
        latency_ms INTEGER NOT NULL, model TEXT NOT NULL, tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL,
        cache TEXT NOT NULL, tool_outcome TEXT NOT NULL, tts_characters INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS events_by_tenant ON events (tenant_id, ts);
    `);
  }

  /** Events recorded at `at` (ms), written in one transaction: the gateway sends them in batches. */
  addMany(entries: readonly { event: MetricEvent; at: number }[]): void {
    for (const { event, at } of entries) this.add(event, at);
  }

  /** Only request events feed the usage API (AI-call events are for dashboards in Analytics Engine). */
  add(event: MetricEvent, at = Date.now()): void {
    if (event.kind !== "request") return;
    this.ctx.storage.sql.exec(
      "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      at,
      event.tenantId,
      event.route,
      event.status,
      event.errorCode,
      Math.round(event.latencyMs),
      event["gen_ai.request.model"],
      Math.round(event["gen_ai.usage.input_tokens"]),
      Math.round(event["gen_ai.usage.output_tokens"]),
      event.cache,
      event.toolOutcome,
      Math.round(event.ttsCharacters),
    );
  }

  facts(query: UsageQuery): FactRow[] {
    const size = GRANULARITY_MS[query.granularity];
    const [where, args] = this.where(query);
    const rows = this.ctx.storage.sql.exec<Record<string, string | number>>(
      `SELECT (ts / ${size}) * ${size} AS bucket, tenant_id, route, error_code, model, cache, tool_outcome,
         COUNT(*) AS requests, SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out, SUM(tts_characters) AS tts
       FROM events WHERE ${where}
       GROUP BY bucket, tenant_id, route, error_code, model, cache, tool_outcome ORDER BY bucket, tenant_id`,
      ...args,
    );
    return rows.toArray().map((r) => ({
      bucket: Number(r.bucket),
      tenantId: String(r.tenant_id),
      route: String(r.route),
      errorCode: String(r.error_code),
      model: String(r.model),
      cache: String(r.cache),
      toolOutcome: String(r.tool_outcome),
      requests: Number(r.requests),
      tokensIn: Number(r.tokens_in),
      tokensOut: Number(r.tokens_out),
      ttsCharacters: Number(r.tts),
    }));
  }

  latencies(query: UsageQuery): LatencyRow[] {
    const size = GRANULARITY_MS[query.granularity];
    const [where, args] = this.where(query);
    const rows = this.ctx.storage.sql.exec<{ bucket: number; tenant_id: string; route: string; latency_ms: number }>(
      `SELECT (ts / ${size}) * ${size} AS bucket, tenant_id, route, latency_ms FROM events WHERE ${where} ORDER BY bucket, tenant_id, route, latency_ms`,
      ...args,
    );
    const groups = new Map<string, { bucket: number; tenantId: string; route: string; values: number[] }>();
    for (const r of rows) {
      const key = `${r.bucket}\u0000${r.tenant_id}\u0000${r.route}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { bucket: Number(r.bucket), tenantId: r.tenant_id, route: r.route, values: [] }));
      group.values.push(Number(r.latency_ms));
    }
    return [...groups.values()].map(({ values, ...g }) => ({ ...g, p50: nearestRank(values, 0.5), p95: nearestRank(values, 0.95), p99: nearestRank(values, 0.99) }));
  }

  private where(query: UsageQuery): [string, (string | number)[]] {
    const clauses = ["ts >= ?", "ts < ?"];
    const args: (string | number)[] = [query.from, query.to];
    if (query.tenantId !== undefined) {
      clauses.push("tenant_id = ?");
      args.push(query.tenantId);
    }
    return [clauses.join(" AND "), args];
  }
}
