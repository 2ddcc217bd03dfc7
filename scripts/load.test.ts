// The load generator's guards and report: loopback only unless told, bounded options, expected refusals apart.
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { isLoopback, nearestRank, parseOptions, runLoad, summarize } from "./load.mjs";

describe("npm run load", () => {
  it("targets loopback addresses only unless --allow-remote", async () => {
    expect([isLoopback("http://127.0.0.1:8787"), isLoopback("http://localhost:1"), isLoopback("http://[::1]:8787")]).toEqual([true, true, true]);
    expect(isLoopback("https://platform.example.com")).toBe(false);
    const options = { ...parseOptions([]), url: "https://platform.example.com" };
    await expect(runLoad(options)).rejects.toThrow(/refusing to load https:\/\/platform.example.com/);
  });

  it("refuses unbounded or nonsensical options", () => {
    expect(() => parseOptions(["--duration", "0"])).toThrow(/--duration/);
    expect(() => parseOptions(["--requests", "-1"])).toThrow(/--requests/);
    expect(parseOptions(["--duration", "5", "--tenants", "a,b"])).toMatchObject({ durationMs: 5000, tenants: ["a", "b"] });
  });

  it("reports percentiles per route and counts 429s apart from errors", () => {
    const r = (route: string, ms: number, code = "") => ({ tenant: "t", route, status: code ? 429 : 200, code, ms });
    const report = summarize([r("POST /v1/chat", 10), r("POST /v1/chat", 30), r("POST /v1/chat", 20, "rate_limited"), r("POST /v1/search", 5, "internal")], 2000, { url: "u", errorThreshold: 0.2 });
    expect(report.routes["POST /v1/chat"]).toEqual({ requests: 3, errors: 1, p50: 20, p95: 30, p99: 30 });
    expect(report).toMatchObject({ requests: 4, throughputPerSecond: 2, expectedRefusals: 1, unexpectedErrors: 1, errorRate: 0.25, passed: false, byTenant: { t: { "POST /v1/chat": 3, "POST /v1/search": 1 } } });
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
  });
});
