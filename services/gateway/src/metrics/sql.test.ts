// The Analytics Engine SQL the usage API emits: the documented columns, sample weighting, tenant filter and quoting.
import { describe, expect, it } from "vitest";
import { datasetFor, factsSql, latencySql, literal } from "./sql.ts";
import type { UsageQuery } from "./query.ts";

const query: UsageQuery = { tenantId: "acme", from: Date.UTC(2026, 10, 30, 0), to: Date.UTC(2026, 10, 30, 2), granularity: "hour" };

describe("Analytics Engine SQL", () => {
  it("counts requests and sums tokens weighted by _sample_interval, per hour, for one tenant", () => {
    expect(factsSql(datasetFor("production"), query)).toBe(
      [
        "SELECT toUnixTimestamp(toStartOfInterval(timestamp, INTERVAL '1' HOUR)) * 1000 AS bucket, index1 AS tenantId, blob2 AS route, blob3 AS errorCode,",
        "  blob5 AS model, blob8 AS cache, blob9 AS toolOutcome,",
        "  SUM(_sample_interval) AS requests,",
        "  SUM(_sample_interval * double3) AS tokensIn,",
        "  SUM(_sample_interval * double4) AS tokensOut,",
        "  SUM(_sample_interval * double8) AS ttsCharacters",
        "FROM platform_metrics_production",
        "WHERE blob1 = 'request' AND timestamp >= toDateTime(1795996800) AND timestamp < toDateTime(1796004000) AND index1 = 'acme'",
        "GROUP BY bucket, tenantId, route, errorCode, model, cache, toolOutcome",
        "ORDER BY bucket, tenantId",
        "FORMAT JSON",
      ].join("\n"),
    );
  });

  it("asks for weighted exact percentiles of double2 per route, by the day and across tenants for operators", () => {
    const sql = latencySql("platform_metrics_staging", { from: query.from, to: query.from + 86_400_000, granularity: "day" });
    expect(sql).toContain("toStartOfInterval(timestamp, INTERVAL '1' DAY)");
    expect(sql).toContain("quantileExactWeighted(0.95)(double2, _sample_interval) AS p95");
    expect(sql).toContain("GROUP BY bucket, tenantId, route");
    expect(sql).not.toContain("index1 =");
  });

  it("quotes tenant ids so none can end the literal", () => {
    expect(literal("a'b\\c")).toBe("'a\\'b\\\\c'");
    expect(factsSql("d", { ...query, tenantId: "x' OR 1=1 --" })).toContain("index1 = 'x\\' OR 1=1 --'");
  });
});
