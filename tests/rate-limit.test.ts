// Rate limits at the gateway with acme's documented limits (60 a minute, 20 in 10 s), on a tenant of this file's own
// (tests/tenants/test-rate-limit) so no other file spends its keys' windows or moves its counters.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_KEY, gatewayUrl, keyFor, testTenant } from "./helpers.ts";

const TENANT = testTenant("test-rate-limit");
// A second key of the same tenant: its own window, the same usage counters.
const READER_KEY = keyFor("test-rate-limit-reader");

const usage = (key: string) => fetch(`${gatewayUrl()}/v1/usage`, { headers: { authorization: `Bearer ${key}` } });
const limitsOf = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")).limits;

describe("rate limits", () => {
  it("tests acme's documented limits", () => {
    expect(limitsOf("./tenants/test-rate-limit/tenant.json")).toEqual(limitsOf("../tenants/acme/tenant.json"));
  });

  it("admits exactly the burst of 40 concurrent requests and answers the rest 429 with Retry-After", async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => usage(TENANT.key)));
    const admitted = responses.filter((r) => r.status === 200);
    const limited = responses.filter((r) => r.status === 429);
    expect(admitted.length).toBe(20);
    expect(limited.length).toBe(20);
    for (const response of limited) {
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(response.headers.get("retry-after"))).toBeLessThanOrEqual(10);
      expect(response.headers.get("ratelimit-remaining")).toBe("0");
    }
    const body = (await limited[0]!.json()) as { ok: boolean; error: { code: string } };
    expect(body).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  it("announces the limit and what remains on admitted responses", async () => {
    // The reader key's first request: 60 a minute and 20 in 10 s, of which this is the first.
    const response = await usage(READER_KEY);
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-limit")).toBe("60");
    expect(response.headers.get("ratelimit-remaining")).toBe("19");
  });

  it("keeps one key's exhausted limit from touching another tenant's", async () => {
    expect((await usage(TENANT.key)).status).toBe(429);
    expect((await usage(DEMO_KEY)).status).toBe(200);
  });

  it("counts admitted requests in the tenant's usage and refused ones not", async () => {
    const response = await usage(READER_KEY);
    const body = (await response.json()) as { data: { tenantId: string; day: { requests: number } } };
    expect(body.data.tenantId).toBe(TENANT.id);
    // The 20 admitted and the reader's first, never the 21 refused. A request is counted in the background, so
    // this read may not see itself yet: 21, or 22 with itself.
    expect([21, 22]).toContain(body.data.day.requests);
  });
});
