// The Analytics Engine SQL the usage API runs in staging and production: the same two queries the development store
// answers (dev-store.ts). Counts and sums are weighted by _sample_interval, so they stay right when AE samples.
import { column } from "@platform/shared";
import { GRANULARITY_MS, type UsageQuery } from "./query.ts";

const INTERVAL = { hour: "INTERVAL '1' HOUR", day: "INTERVAL '1' DAY" } as const;

/** The dataset each environment writes (analytics_engine_datasets in services/*\/wrangler.jsonc). */
export const datasetFor = (environment: string): string => `platform_metrics_${environment}`;

/** A SQL string literal: tenant ids are slugs, but nothing reaches the SQL unquoted. */
export function literal(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function bucket(query: UsageQuery): string {
  return `toUnixTimestamp(toStartOfInterval(timestamp, ${INTERVAL[query.granularity]})) * 1000`;
}

function where(query: UsageQuery): string {
  const clauses = [
    `${column("kind")} = 'request'`,
    `timestamp >= toDateTime(${Math.floor(query.from / 1000)})`,
    `timestamp < toDateTime(${Math.floor(query.to / 1000)})`,
  ];
  if (query.tenantId !== undefined) clauses.push(`index1 = ${literal(query.tenantId)}`);
  return clauses.join(" AND ");
}

export function factsSql(dataset: string, query: UsageQuery): string {
  return [
    `SELECT ${bucket(query)} AS bucket, index1 AS tenantId, ${column("route")} AS route, ${column("errorCode")} AS errorCode,`,
    `  ${column("gen_ai.request.model")} AS model, ${column("cache")} AS cache, ${column("toolOutcome")} AS toolOutcome,`,
    `  SUM(_sample_interval) AS requests,`,
    `  SUM(_sample_interval * ${column("gen_ai.usage.input_tokens")}) AS tokensIn,`,
    `  SUM(_sample_interval * ${column("gen_ai.usage.output_tokens")}) AS tokensOut,`,
    `  SUM(_sample_interval * ${column("ttsCharacters")}) AS ttsCharacters`,
    `FROM ${dataset}`,
    `WHERE ${where(query)}`,
    `GROUP BY bucket, tenantId, route, errorCode, model, cache, toolOutcome`,
    `ORDER BY bucket, tenantId`,
    `FORMAT JSON`,
  ].join("\n");
}

export function latencySql(dataset: string, query: UsageQuery): string {
  const q = (level: number) => `quantileExactWeighted(${level})(${column("latencyMs")}, _sample_interval)`;
  return [
    `SELECT ${bucket(query)} AS bucket, index1 AS tenantId, ${column("route")} AS route,`,
    `  ${q(0.5)} AS p50, ${q(0.95)} AS p95, ${q(0.99)} AS p99`,
    `FROM ${dataset}`,
    `WHERE ${where(query)}`,
    `GROUP BY bucket, tenantId, route`,
    `ORDER BY bucket, tenantId, route`,
    `FORMAT JSON`,
  ].join("\n");
}

export { GRANULARITY_MS };
