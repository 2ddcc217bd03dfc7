// Reads the usage time series (GET /v1/usage?from&to&granularity, from the observability work) when the answer has
// one: an array of buckets with a time and requests / tokens / latency numbers. Anything else: null (counters).
import type { Series } from "../chart.tsx";

export interface TimeSeries { requests: Series; tokens: Series; latency: Series }

const TIME_KEYS = ["t", "ts", "time", "start", "bucket", "from", "at"];

function findBuckets(value: unknown, depth = 0): Record<string, unknown>[] | null {
  if (Array.isArray(value)) return value.length > 0 && value.every((b) => b && typeof b === "object" && TIME_KEYS.some((k) => k in b)) ? (value as Record<string, unknown>[]) : null;
  if (!value || typeof value !== "object" || depth > 2) return null;
  for (const child of Object.values(value)) {
    const found = findBuckets(child, depth + 1);
    if (found) return found;
  }
  return null;
}

const num = (bucket: Record<string, unknown>, ...names: string[]): number => {
  for (const name of names) {
    const v = bucket[name];
    if (typeof v === "number") return v;
    if (v && typeof v === "object") {
      const inner = v as Record<string, unknown>;
      const n = inner.p95 ?? inner.total ?? inner.avg ?? inner.mean;
      if (typeof n === "number") return n;
    }
  }
  return 0;
};

export function fromTimeSeries(answer: unknown): TimeSeries | null {
  const buckets = findBuckets(answer);
  if (!buckets) return null;
  const at = (b: Record<string, unknown>) => {
    const raw = TIME_KEYS.map((k) => b[k]).find((v) => v !== undefined);
    return typeof raw === "number" ? (raw < 1e12 ? raw * 1000 : raw) : Date.parse(String(raw));
  };
  const series = (label: string, ...names: string[]): Series => ({ label, points: buckets.map((b) => ({ t: at(b), v: num(b, ...names) })) });
  // The gateway's intervals (GET /v1/usage `series`) keep tokens per model and latency per route.
  const perModel = (b: Record<string, unknown>) => Object.values((b.models ?? {}) as Record<string, { tokensIn?: number; tokensOut?: number }>);
  const perRoute = (b: Record<string, unknown>) => Object.values((b.routes ?? {}) as Record<string, { p95?: number }>);
  const tokens = (b: Record<string, unknown>) => (b.models ? perModel(b).reduce((sum, m) => sum + (m.tokensIn ?? 0) + (m.tokensOut ?? 0), 0) : num(b, "tokens", "totalTokens"));
  const latency = (b: Record<string, unknown>) => (b.routes ? Math.max(0, ...perRoute(b).map((r) => r.p95 ?? 0)) : num(b, "latencyMs", "latency", "p95"));
  return {
    requests: series("requests", "requests", "count"),
    tokens: { label: "tokens", points: buckets.map((b) => ({ t: at(b), v: tokens(b) })) },
    latency: { label: "latency", points: buckets.map((b) => ({ t: at(b), v: latency(b) })) },
  };
}
