// `npm run load` against the shared test mesh for a few seconds, on a tenant only this file uses: the report's
// requests per route equal the tenant's /v1/usage, and each route's p95 there (the gateway's latency) is at most the
// report's (the client's, which adds the network and reading the body).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventually, gatewayUrl, isRemote } from "./helpers.ts";
import { usageSeries } from "./usage-client.ts";

const TENANT = "test-load";

interface LoadReport {
  requests: number;
  routes: Record<string, { requests: number; p95: number }>;
  byTenant: Record<string, Record<string, number>>;
  unexpectedErrors: number;
}

function runLoad(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/load.mjs", ...args], { env: { ...process.env, ...env }, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

describe.skipIf(isRemote)("npm run load", () => {
  it("reports the same requests per route as /v1/usage for its tenant", async () => {
    const out = mkdtempSync(join(tmpdir(), "load-"));
    const code = await runLoad(["--duration", "4", "--requests", "40", "--concurrency", "2", "--tenants", TENANT, "--out", out], { PLATFORM_URL: gatewayUrl() });
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "load-report.json"), "utf8")) as LoadReport;
    expect(report.requests).toBeGreaterThan(0);
    expect(report.unexpectedErrors).toBe(0);
    let intervalsWithData = 0;
    const counted = await eventually(async () => {
      const series = (await usageSeries(`sk-dev-${TENANT}`)).series;
      intervalsWithData = series.filter((i) => i.requests > 0).length;
      const routes: Record<string, { requests: number; p95: number }> = {};
      for (const interval of series) {
        for (const [route, r] of Object.entries(interval.routes)) {
          if (route === "GET /v1/usage") continue; // this test's own reads
          const entry = (routes[route] ??= { requests: 0, p95: 0 });
          entry.requests += r.requests;
          entry.p95 = Math.max(entry.p95, r.p95);
        }
      }
      expect(Object.fromEntries(Object.entries(routes).map(([k, v]) => [k, v.requests]))).toEqual(report.byTenant[TENANT]);
      return routes;
    }, { timeoutMs: 20_000, intervalMs: 250 });
    // Within one interval the gateway's p95 can be compared with the client's (a run straddling the hour splits it).
    if (intervalsWithData === 1) for (const [route, r] of Object.entries(counted)) expect(r.p95, route).toBeLessThanOrEqual(report.routes[route]!.p95 + 1);
  }, 120_000);
});
