// Staging and production read side: the Analytics Engine SQL API over HTTPS, with the account id and an API token
// (Account Analytics: Read) from the secrets ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN.
import { AppError } from "@platform/shared";
import type { FactRow, LatencyRow, MetricsSource } from "./query.ts";
import { datasetFor, factsSql, latencySql } from "./sql.ts";

export interface AnalyticsCredentials {
  accountId: string;
  apiToken: string;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function analyticsEngineSource(credentials: AnalyticsCredentials, environment: string, fetcher: Fetch = fetch): MetricsSource {
  const dataset = datasetFor(environment);
  const run = async (sql: string): Promise<Record<string, unknown>[]> => {
    const response = await fetcher(`https://api.cloudflare.com/client/v4/accounts/${credentials.accountId}/analytics_engine/sql`, {
      method: "POST",
      headers: { authorization: `Bearer ${credentials.apiToken}` },
      body: sql,
    });
    if (!response.ok) throw new AppError("upstream_error", `the Analytics Engine SQL API answered ${response.status}`);
    const body = (await response.json()) as { data?: Record<string, unknown>[] };
    return body.data ?? [];
  };
  return {
    async facts(query) {
      return (await run(factsSql(dataset, query))).map(
        (r): FactRow => ({
          bucket: Number(r.bucket),
          tenantId: String(r.tenantId),
          route: String(r.route),
          errorCode: String(r.errorCode),
          model: String(r.model),
          cache: String(r.cache),
          toolOutcome: String(r.toolOutcome),
          requests: Number(r.requests),
          tokensIn: Number(r.tokensIn),
          tokensOut: Number(r.tokensOut),
          ttsCharacters: Number(r.ttsCharacters),
        }),
      );
    },
    async latencies(query) {
      return (await run(latencySql(dataset, query))).map(
        (r): LatencyRow => ({ bucket: Number(r.bucket), tenantId: String(r.tenantId), route: String(r.route), p50: Number(r.p50), p95: Number(r.p95), p99: Number(r.p99) }),
      );
    },
  };
}
