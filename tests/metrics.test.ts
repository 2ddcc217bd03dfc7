// Metrics events through the public surface: a 5xx (a model that is down, no fallback) and a 429 (a budget too small)
// both land in the tenant's usage series with their error codes, on their routes. Each tenant is this file's own.
import { describe, expect, it } from "vitest";
import { eventually, postJson, testTenant } from "./helpers.ts";
import { totals, usageSeries } from "./usage-client.ts";

const DOWN = testTenant("test-metrics");
const TIGHT = testTenant("test-metrics-tight");

describe("metrics events", () => {
  it("records a 502 from a model that is down with its code, on its route", async () => {
    const res = await postJson("/v1/chat", { message: "hello there", model: "@cf/meta/llama-unavailable", stream: false }, DOWN.key);
    expect(res.status).toBe(502);
    expect(res.body.error?.code).toBe("upstream_error");
    const sum = await eventually(async () => {
      const t = totals((await usageSeries(DOWN.key)).series);
      expect(t.errorsByCode).toEqual({ upstream_error: 1 });
      return t;
    });
    expect(sum.routes["POST /v1/chat"]).toBe(1);
  });

  it("records a 429 from a budget that is too small with its code", async () => {
    const res = await postJson("/v1/chat", { message: "Tell me everything about invoices, in detail.", stream: false }, TIGHT.key);
    expect(res.status).toBe(429);
    expect(res.body.error?.code).toBe("budget_exceeded");
    const sum = await eventually(async () => {
      const t = totals((await usageSeries(TIGHT.key)).series);
      expect(t.errorsByCode).toEqual({ budget_exceeded: 1 });
      return t;
    });
    expect(sum.routes["POST /v1/chat"]).toBe(1);
  });
});
