// GET /v1/usage's time series and the operators' GET /v1/admin/usage (JSON and the CSV billing export), pinned with
// exact counts on this file's own tenants: requests per route, errors by code, tokens per model, cache hit rate, tool
// outcomes, TTS characters, budget left, and CSV totals equal to the tenant's own usage.
import { beforeAll, describe, expect, it } from "vitest";
import { call, eventually, postJson, testTenant } from "./helpers.ts";
import { ingestAll } from "./fixtures/retrieval-client.ts";
import { adminCsv, OPERATOR_KEY, totals, usageSeries } from "./usage-client.ts";

const TENANT = testTenant("test-usage");
const OTHER = testTenant("test-usage-other");
const KEY = TENANT.key;

const expected = { chatHits: 0, chatLookups: 0, searchHits: 0, searchLookups: 0, ttsCharacters: 0 };

beforeAll(async () => {
  await ingestAll([{ id: "usage-doc", title: "Invoices", text: "# Invoices\n\nInvoices are emailed on the first day of each month as PDF files." }], KEY);
  for (let i = 0; i < 3; i++) expect((await postJson("/v1/retrieve", { query: "when are invoices emailed" }, KEY)).status).toBe(200);
  for (let i = 0; i < 2; i++) {
    const chat = await postJson("/v1/chat", { message: "What is a usage series?", stream: false }, KEY);
    expect(chat.status).toBe(200);
    const cache = chat.headers.get("x-cache");
    if (cache === "HIT" || cache === "MISS") expected.chatLookups++;
    if (cache === "HIT") expected.chatHits++;
    const search = await postJson("/v1/search", { query: "When are invoices emailed?" }, KEY);
    expect(search.status).toBe(200);
    const searchCache = (search.body.data as { why: { cache: string } }).why.cache;
    if (searchCache !== "bypass") expected.searchLookups++;
    if (searchCache === "hit") expected.searchHits++;
  }
  expect((await postJson("/v1/tools/execute", { tool: "summarize", args: { text: "Usage is counted per request." } }, KEY)).status).toBe(200);
  expect((await postJson("/v1/tools/execute", { tool: "no_such_tool", args: {} }, KEY)).status).toBe(404);
  const tts = await fetch(`${(await import("./helpers.ts")).gatewayUrl()}/v1/tts`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "Twelve words of speech for the usage series test, spoken out loud." }),
  });
  expect(tts.status).toBe(200);
  await tts.arrayBuffer();
  expected.ttsCharacters = Number(tts.headers.get("x-tts-characters"));
  expect((await postJson("/v1/retrieve", { query: "anything" }, OTHER.key)).status).toBe(200);
}, 120_000);

describe("GET /v1/usage series", () => {
  it("counts requests per route, errors by code, tool outcomes and TTS characters exactly", async () => {
    const data = await eventually(async () => {
      const d = await usageSeries(KEY);
      expect(totals(d.series).ttsCharacters).toBe(expected.ttsCharacters);
      return d;
    });
    const sum = totals(data.series);
    expect(sum.routes).toMatchObject({ "POST /v1/retrieve": 3, "POST /v1/chat": 2, "POST /v1/search": 2, "POST /v1/tools/execute": 2, "POST /v1/tts": 1 });
    expect(sum.errorsByCode).toEqual({ not_found: 1 });
    expect(sum.toolCalls).toEqual({ ok: 1, not_found: 1 });
    expect(data.series).toHaveLength(24);
    expect(data.budgetLeft.day).toBeGreaterThan(0);
  });

  it("reports latency percentiles per route, tokens per model and the cache hit rate of chat and search", async () => {
    const data = await usageSeries(KEY);
    const now = data.series.filter((i) => i.requests > 0);
    const retrieve = now.flatMap((i) => (i.routes["POST /v1/retrieve"] ? [i.routes["POST /v1/retrieve"]] : []));
    for (const r of retrieve) {
      expect(r.p50).toBeGreaterThanOrEqual(0);
      expect(r.p95).toBeGreaterThanOrEqual(r.p50);
      expect(r.p99).toBeGreaterThanOrEqual(r.p95);
    }
    const models = Object.assign({}, ...now.map((i) => i.models)) as Record<string, { tokensIn: number; tokensOut: number }>;
    expect(models["@cf/meta/llama-3.1-8b-instruct-fast"]?.tokensOut).toBeGreaterThan(0);
    expect(models["@cf/baai/bge-base-en-v1.5"]?.tokensIn).toBeGreaterThan(0);
    const cache = (side: "chat" | "search") => now.reduce((acc, i) => ({ hits: acc.hits + i.cache[side].hits, lookups: acc.lookups + i.cache[side].lookups }), { hits: 0, lookups: 0 });
    expect(cache("chat")).toEqual({ hits: expected.chatHits, lookups: expected.chatLookups });
    expect(cache("search")).toEqual({ hits: expected.searchHits, lookups: expected.searchLookups });
  });

  it("answers by the day and refuses bad from, to and granularity with 400", async () => {
    const daily = await usageSeries(KEY, "granularity=day");
    expect(daily.series).toHaveLength(30);
    for (const query of ["granularity=week", "from=yesterday", "from=2026-11-30T05:00:00Z&to=2026-11-30T01:00:00Z", "from=2020-01-01&to=2026-01-01"]) {
      const res = await call(`/v1/usage?${query}`, { key: KEY });
      expect(res.status, query).toBe(400);
      expect(res.body.error?.code).toBe("invalid_request");
    }
  });
});

describe("GET /v1/admin/usage", () => {
  it("is for operators only", async () => {
    expect((await call("/v1/admin/usage", { key: KEY })).status).toBe(403);
    expect((await call("/v1/admin/usage")).status).toBe(401);
    const res = await call<{ tenants: Record<string, unknown[]> }>("/v1/admin/usage?granularity=day", { key: OPERATOR_KEY });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data!.tenants)).toEqual(expect.arrayContaining([TENANT.id, OTHER.id]));
  });

  it("exports CSV whose per-tenant totals equal each tenant's own usage", async () => {
    await eventually(async () => {
      const own = totals((await usageSeries(KEY)).series);
      const csv = await adminCsv();
      expect(csv.status).toBe(200);
      expect(csv.contentType).toMatch(/^text\/csv/);
      const [header, ...lines] = csv.text.trimEnd().split("\r\n");
      expect(header).toBe("interval_start,interval_end,tenant_id,model,requests,errors,tokens_in,tokens_out,tts_characters");
      const rows = lines.map((l) => l.split(",")).filter((r) => r[2] === TENANT.id);
      const sum = (col: number) => rows.reduce((s, r) => s + Number(r[col]), 0);
      // The /v1/usage call just made is itself a request of the tenant's, written once it has answered.
      expect(sum(4)).toBe(own.requests + 1);
      expect(sum(5)).toBe(Object.values(own.errorsByCode).reduce((a, b) => a + b, 0));
      expect(sum(6)).toBe(own.tokensIn);
      expect(sum(8)).toBe(own.ttsCharacters);
    }, { timeoutMs: 20_000, intervalMs: 200 });
  });
});
