// Folding usage rows into the series and the billing CSV: every interval present, errors by code, cache hit rate,
// percentiles per route, and CSV rows per model that sum to the series.
import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvField, usageCsv } from "./csv.ts";
import { nearestRank } from "./percentile.ts";
import { UsageParamsSchema, usageQuery, type FactRow } from "./query.ts";
import { buildSeries } from "./series.ts";
import { keepLine } from "./sampling.ts";
import * as v from "valibot";

const H = 3_600_000;
const from = Date.UTC(2026, 10, 30, 0);
const query = { from, to: from + 3 * H, granularity: "hour" as const };
const fact = (over: Partial<FactRow>): FactRow => ({
  bucket: from,
  tenantId: "acme",
  route: "POST /v1/chat",
  errorCode: "",
  model: "",
  cache: "",
  toolOutcome: "",
  requests: 1,
  tokensIn: 0,
  tokensOut: 0,
  ttsCharacters: 0,
  ...over,
});

describe("usage series", () => {
  const facts = [
    fact({ model: "m1", requests: 3, tokensIn: 30, tokensOut: 12, cache: "HIT" }),
    fact({ model: "m1", requests: 1, tokensIn: 10, tokensOut: 4, cache: "MISS" }),
    fact({ errorCode: "rate_limited", requests: 2 }),
    fact({ route: "POST /v1/tools/execute", toolOutcome: "ok", requests: 2 }),
    fact({ bucket: from + 2 * H, route: "POST /v1/tts", model: "tts-m", ttsCharacters: 42 }),
    fact({ tenantId: "demo", route: "GET /v1/usage" }),
  ];
  const series = buildSeries(query, facts, [{ bucket: from, tenantId: "acme", route: "POST /v1/chat", p50: 5, p95: 9, p99: 11 }]);

  it("answers every interval of the range, empty ones included", () => {
    expect(series.get("acme")?.map((i) => i.start)).toEqual([0, 1, 2].map((n) => new Date(from + n * H).toISOString()));
    expect(series.get("acme")?.[1]?.requests).toBe(0);
  });

  it("counts requests, errors by code, tokens per model, cache hit rate, tool outcomes and TTS characters", () => {
    const first = series.get("acme")?.[0];
    expect(first).toMatchObject({ requests: 8, errors: 2, errorsByCode: { rate_limited: 2 }, toolCalls: { ok: 2 } });
    expect(first?.models).toEqual({ m1: { requests: 4, errors: 0, tokensIn: 40, tokensOut: 16, ttsCharacters: 0 } });
    expect(first?.cache.chat).toEqual({ hits: 3, lookups: 4, hitRate: 0.75 });
    expect(first?.cache.search).toEqual({ hits: 0, lookups: 0, hitRate: null });
    expect(first?.routes["POST /v1/chat"]).toEqual({ requests: 6, errors: 2, p50: 5, p95: 9, p99: 11 });
    expect(series.get("acme")?.[2]?.ttsCharacters).toBe(42);
  });

  it("writes an RFC 4180 CSV whose rows per tenant sum to its series", () => {
    const csv = usageCsv(series);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = lines.slice(1, -1).map((l) => l.split(","));
    const acme = rows.filter((r) => r[2] === "acme");
    expect(acme.reduce((s, r) => s + Number(r[4]), 0)).toBe(9);
    expect(acme.reduce((s, r) => s + Number(r[5]), 0)).toBe(2);
    expect(acme.reduce((s, r) => s + Number(r[6]), 0)).toBe(40);
    expect(acme.reduce((s, r) => s + Number(r[8]), 0)).toBe(42);
    expect(rows.filter((r) => r[2] === "demo")).toHaveLength(1);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });
});

describe("usage query", () => {
  const parse = (input: Record<string, string>) => usageQuery(v.parse(UsageParamsSchema, input), from + 90 * 60_000);

  it("aligns from and to to the granularity and defaults to the last 24 hours", () => {
    expect(parse({})).toEqual({ from: from + 2 * H - 24 * H, to: from + 2 * H, granularity: "hour" });
    expect(parse({ from: "2026-11-29", to: "2026-11-30T10:30:00Z", granularity: "day" })).toEqual({ from: from - 24 * H, to: from + 24 * H, granularity: "day" });
  });

  it("refuses from after to, and more than 1488 intervals", () => {
    expect(() => parse({ from: "2026-11-30T05:00:00Z", to: "2026-11-30T01:00:00Z" })).toThrow(/before/);
    expect(() => parse({ from: "2025-01-01", to: "2026-01-01" })).toThrow(/at most 1488/);
    expect(v.safeParse(UsageParamsSchema, { granularity: "week" }).success).toBe(false);
    expect(v.safeParse(UsageParamsSchema, { from: "yesterday" }).success).toBe(false);
  });
});

describe("percentiles and sampling", () => {
  it("take the nearest rank", () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([nearestRank(values, 0.5), nearestRank(values, 0.95), nearestRank(values, 0.99)]).toEqual([10, 19, 20]);
    expect(nearestRank([], 0.5)).toBe(0);
    expect(nearestRank([7], 0.99)).toBe(7);
  });

  it("keep every successful line by default and a share of them under LOG_SAMPLE_RATE", () => {
    expect(keepLine(undefined)).toBe(true);
    const env = (rate: string) => ({ LOG_SAMPLE_RATE: rate }) as unknown as GatewayEnv;
    expect(keepLine(env("0.1"), () => 0.05)).toBe(true);
    expect(keepLine(env("0.1"), () => 0.5)).toBe(false);
    expect(keepLine(env("1"), () => 0.99)).toBe(true);
  });
});
