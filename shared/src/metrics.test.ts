// The Analytics Engine data point of a metrics event: index = tenant, blobs and doubles in the documented order.
import { describe, expect, it } from "vitest";
import { callAi } from "./ai/call.ts";
import { context, fakeAi, FALLBACK, PRIMARY, quiet } from "./ai/testing.ts";
import { BLOBS, DOUBLES, column, dataPoint, meteredAi, metricEvent, writeMetric } from "./metrics.ts";

describe("metrics events", () => {
  const event = metricEvent({ kind: "request", tenantId: "acme", route: "POST /v1/chat", service: "gateway", status: 429, latencyMs: 12, errorCode: "rate_limited", "gen_ai.request.model": "m" });

  it("lay out as index = tenant, 11 blobs and 8 doubles (Analytics Engine allows 20 each)", () => {
    const point = dataPoint(event);
    expect(point.indexes).toEqual(["acme"]);
    expect(point.blobs).toEqual(["request", "POST /v1/chat", "rate_limited", "", "m", "", "", "", "", "gateway", ""]);
    expect(point.doubles).toEqual([429, 12, 0, 0, 0, 0, 0, 0]);
    expect(BLOBS).toHaveLength(11);
    expect(DOUBLES).toHaveLength(8);
    expect([column("route"), column("latencyMs"), column("gen_ai.usage.output_tokens")]).toEqual(["blob2", "double2", "double4"]);
  });

  it("never fail the request when the sink throws, and carry a service's METRICS binding on its AI runner", async () => {
    expect(() => writeMetric({ writeDataPoint: () => { throw new Error("limit"); } }, event)).not.toThrow();
    const points: unknown[] = [];
    const ai = meteredAi({ AI: { run: async () => "ok" }, METRICS: { writeDataPoint: (p: unknown) => points.push(p) } } as { AI: unknown });
    expect(await ai.run("m", {})).toBe("ok");
    ai.metrics?.writeDataPoint(dataPoint(event));
    expect(points).toHaveLength(1);
  });

  it("write one ai_call event per model call, the failed primary and the fallback that answered", async () => {
    quiet();
    const points: { indexes: string[]; blobs: string[]; doubles: number[] }[] = [];
    const { ai } = fakeAi((model) => {
      if (model === PRIMARY) throw new Error("AiError: 3040: capacity");
      return { response: "hi" };
    });
    const metered = { run: ai.run.bind(ai), metrics: { writeDataPoint: (p: (typeof points)[number]) => points.push(p) } };
    const usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };
    await callAi({ ai: metered, ctx: context(), service: "chat" }, { route: "chat", inputs: {}, read: (value) => ({ result: value, usage }) });
    expect(points.map((p) => [p.indexes[0], p.blobs[0], p.blobs[1], p.blobs[2], p.blobs[4], p.blobs[5], p.blobs[6], p.doubles[0], p.doubles[2], p.doubles[3]])).toEqual([
      ["t1", "ai_call", "ai.chat", "upstream_error", PRIMARY, "cloudflare.workers_ai", "chat", 502, 0, 0],
      ["t1", "ai_call", "ai.chat", "", FALLBACK, "cloudflare.workers_ai", "chat", 200, 7, 3],
    ]);
  });
});
