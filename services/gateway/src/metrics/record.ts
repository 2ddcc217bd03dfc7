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

// Development batches its writes: one MetricsStore call (and one SQLite commit) per BATCH_MS instead of one per
// request, which otherwise competed with the next request on workerd's single thread. Reads write the batch first.
const BATCH_MS = 1000;
const pending: { event: MetricEvent; at: number }[] = [];
let batchStartedAt: number | undefined;

/** Writes one event where this environment keeps metrics; never throws into the request. */
export async function recordMetric(env: GatewayEnv, event: MetricEvent): Promise<void> {
  if (env.METRICS) return writeMetric(env.METRICS, event);
  const store = devStore(env);
  if (!store) return;
  pending.push({ event, at: Date.now() });
  // The request that opens a batch writes it; a batch whose writer never came back (5 s) is taken over.
  if (batchStartedAt !== undefined && Date.now() - batchStartedAt < 5 * BATCH_MS) return;
  batchStartedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
  batchStartedAt = undefined;
  await writePending(store);
}

async function writePending(store: NonNullable<ReturnType<typeof devStore>>): Promise<void> {
  const batch = pending.splice(0);
  if (batch.length) await store.addMany(batch).catch(() => {});
}

/** The read side behind /v1/usage and /v1/admin/usage; undefined where the SQL API secrets are not set. */
export function metricsSource(env: GatewayEnv): MetricsSource | undefined {
  const store = devStore(env);
  if (store) return { facts: async (q) => (await writePending(store), store.facts(q)), latencies: async (q) => (await writePending(store), store.latencies(q)) };
  const { ANALYTICS_ACCOUNT_ID: accountId, ANALYTICS_API_TOKEN: apiToken } = env as GatewayEnv & AnalyticsSecrets;
  if (!accountId || !apiToken) return undefined;
  return analyticsEngineSource({ accountId, apiToken }, env.ENVIRONMENT);
}
