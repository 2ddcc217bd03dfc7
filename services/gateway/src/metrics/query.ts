// A usage query (tenant, time range, granularity) and the two row shapes every metrics backend answers it with.
import * as v from "valibot";
import { AppError } from "@platform/shared";

export const GRANULARITY_MS = { hour: 3_600_000, day: 86_400_000 } as const;
export type Granularity = keyof typeof GRANULARITY_MS;

/** Most intervals one query may span (62 days by the hour). */
export const MAX_INTERVALS = 1488;

export interface UsageQuery {
  /** Absent: every tenant (operators). */
  tenantId?: string;
  /** Epoch ms, inclusive, aligned down to the granularity. */
  from: number;
  /** Epoch ms, exclusive, aligned up to the granularity. */
  to: number;
  granularity: Granularity;
}

/** Counts and sums per interval, tenant and combination of dimensions. */
export interface FactRow {
  bucket: number;
  tenantId: string;
  route: string;
  errorCode: string;
  model: string;
  cache: string;
  toolOutcome: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  ttsCharacters: number;
}

/** Latency percentiles (ms) per interval, tenant and route. */
export interface LatencyRow {
  bucket: number;
  tenantId: string;
  route: string;
  p50: number;
  p95: number;
  p99: number;
}

export interface MetricsSource {
  facts(query: UsageQuery): Promise<FactRow[]>;
  latencies(query: UsageQuery): Promise<LatencyRow[]>;
}

const Instant = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date or date-time, e.g. 2026-11-30 or 2026-11-30T10:00:00Z"),
  v.transform((s) => Date.parse(s)),
);

export const UsageParamsSchema = v.object({
  from: v.optional(Instant),
  to: v.optional(Instant),
  granularity: v.optional(v.picklist(["hour", "day"], "granularity must be hour or day"), "hour"),
  format: v.optional(v.picklist(["json", "csv"], "format must be json or csv"), "json"),
});

/** The query a caller's from/to/granularity ask for: by default the last 24 hours (hour) or 30 days (day), up to now. */
export function usageQuery(params: v.InferOutput<typeof UsageParamsSchema>, now = Date.now()): UsageQuery {
  const size = GRANULARITY_MS[params.granularity];
  const to = Math.ceil((params.to ?? now + 1) / size) * size;
  const from = Math.floor((params.from ?? to - (params.granularity === "hour" ? 24 : 30) * size) / size) * size;
  if (from >= to) throw new AppError("invalid_request", "`from` must be before `to`", { details: { nested: { from: ["must be before to"] } } });
  if ((to - from) / size > MAX_INTERVALS) {
    throw new AppError("invalid_request", `at most ${MAX_INTERVALS} intervals per query: narrow from/to or use granularity=day`);
  }
  return { from, to, granularity: params.granularity };
}
