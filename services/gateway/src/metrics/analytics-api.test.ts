// The SQL API client: posts the emitted SQL to the account's endpoint with the token, maps rows, and turns a refusal
// into upstream_error. A fake fetch stands in for Cloudflare: no test reaches it.
import { describe, expect, it } from "vitest";
import { analyticsEngineSource } from "./analytics-api.ts";

const query = { tenantId: "acme", from: Date.UTC(2026, 10, 30), to: Date.UTC(2026, 10, 30, 1), granularity: "hour" as const };

describe("Analytics Engine SQL API source", () => {
  it("posts the facts query with the token and maps the rows", async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetcher = async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return Response.json({ data: [{ bucket: "1796083200000", tenantId: "acme", route: "POST /v1/chat", errorCode: "", model: "m", cache: "HIT", toolOutcome: "", requests: "3", tokensIn: 30, tokensOut: 9, ttsCharacters: 0 }] });
    };
    const source = analyticsEngineSource({ accountId: "acc", apiToken: "tok" }, "production", fetcher);
    expect(await source.facts(query)).toEqual([{ bucket: 1796083200000, tenantId: "acme", route: "POST /v1/chat", errorCode: "", model: "m", cache: "HIT", toolOutcome: "", requests: 3, tokensIn: 30, tokensOut: 9, ttsCharacters: 0 }]);
    expect(sent[0]?.url).toBe("https://api.cloudflare.com/client/v4/accounts/acc/analytics_engine/sql");
    expect(new Headers(sent[0]?.init.headers).get("authorization")).toBe("Bearer tok");
    expect(String(sent[0]?.init.body)).toContain("FROM platform_metrics_production");
  });

  it("answers upstream_error when the API refuses", async () => {
    const source = analyticsEngineSource({ accountId: "acc", apiToken: "bad" }, "staging", async () => new Response("no", { status: 403 }));
    await expect(source.latencies(query)).rejects.toThrow(/Analytics Engine SQL API answered 403/);
  });
});
