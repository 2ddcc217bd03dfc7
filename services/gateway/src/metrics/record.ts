// Where the gateway's metrics go and come from: Workers Analytics Engine in staging and production (METRICS binding,
// read back through the SQL API), the MetricsStore Durable Object in development (written and read directly).
import { AppError, writeMetric, type MetricEvent } from "@platform/shared";
import { analyticsEngineSource } from "./analytics-api.ts";
import type { MetricsSource } from "./query.ts";

/** The read side's secrets (staging, production): declared with `wrangler secret put`, so not in the generated Env. */
interface AnalyticsSecrets {
  ANALYTICS_ACCOUNT_ID?: string;
  ANALYTICS_API_TOKEN?: string;
}

function devStore(env: GatewayEnv) {
  const store = env.METRICS_STORE;
  if (!store || env.ENVIRONMENT !== "development") return undefined;
  return store.get(store.idFromName("dev"));
}

export const notConfigured = () => new AppError("not_enabled", "usage analytics need the ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN secrets (docs/observability.md)");

/** Writes one event where this environment keeps metrics; never throws into the request. */
export async function recordMetric(env: GatewayEnv, event: MetricEvent): Promise<void> {
  if (env.METRICS) return writeMetric(env.METRICS, event);
  await devStore(env)
    ?.add(event)
    .catch(() => {});
}

/** The read side behind /v1/usage and /v1/admin/usage; undefined where the SQL API secrets are not set. */
export function metricsSource(env: GatewayEnv): MetricsSource | undefined {
  const store = devStore(env);
  if (store) return { facts: (q) => store.facts(q), latencies: (q) => store.latencies(q) };
  const { ANALYTICS_ACCOUNT_ID: accountId, ANALYTICS_API_TOKEN: apiToken } = env as GatewayEnv & AnalyticsSecrets;
  if (!accountId || !apiToken) return undefined;
  return analyticsEngineSource({ accountId, apiToken }, env.ENVIRONMENT);
}
