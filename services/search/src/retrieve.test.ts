// Unit tests for hybrid retrieval's fusion: the weight is the tenant's `rag.fusion.keywordWeight` when it sets one,
// else the service's default for its environment, and each side's candidate count reaches the fusion (fake D1,
// Vectorize and AI; the SQL itself is covered by integration).
import * as v from "valibot";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { TenantConfigSchema, tenantSettings, type AiRunner, type RequestContext } from "@platform/shared";
import { retrieve } from "./retrieve.ts";

// "lexical" is BM25's best hit and the semantic side's weak one; "vector" the other way round.
const KEYWORD_HITS = [{ id: "lexical", score: 10 }, { id: "vector", score: 2 }];
const SEMANTIC_MATCHES = [{ id: "vector", score: 0.9 }, { id: "lexical", score: 0.3 }];

type Hits = { id: string; score: number }[];

function fakeDb(keywordHits: Hits): D1Database {
  const row = (id: string) => ({ id, wanted: 1, doc_id: `doc-${id}`, title: null, url: null, headings: "", text: id, metadata: "{}" });
  const statement = (sql: string, params: unknown[] = []) => ({
    bind: (...values: unknown[]) => statement(sql, values),
    // Every query word is in the tenant's chunks: none is absent, so no typo is corrected.
    all: async () => ({ results: sql.includes("bm25(") ? keywordHits : sql.includes("NOT EXISTS") ? [] : (JSON.parse(params[0] as string) as string[]).map(row) }),
  });
  return { prepare: (sql: string) => statement(sql), batch: async (statements: { all: () => Promise<unknown> }[]) => Promise.all(statements.map((s) => s.all())) } as unknown as D1Database;
}

const deps = (keywordWeight?: number, keyword: Hits = KEYWORD_HITS, semantic: Hits = SEMANTIC_MATCHES) => ({
  db: fakeDb(keyword),
  index: { query: async () => ({ matches: semantic, count: semantic.length }) } as unknown as Pick<Vectorize, "query">,
  ai: { run: async () => ({ shape: [1, 768], data: [Array.from({ length: 768 }, () => 0.01)] }) } as AiRunner,
  ...(keywordWeight === undefined ? {} : { keywordWeight }),
});

function tenantContext(keywordWeight?: number): RequestContext {
  const rag = keywordWeight === undefined ? {} : { rag: { fusion: { keywordWeight } } };
  const config = v.parse(TenantConfigSchema, { id: "t1", name: "t1", keys: [], models: { chat: "@cf/test/chat" }, ...rag });
  return { tenantId: "t1", keyId: "k1", scopes: ["*"], traceId: "trace-1", route: "/v1/retrieve", tenant: tenantSettings(config) };
}

/** The AI call's log line stays off the test output. */
function quiet(): void {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  onTestFinished(() => spy.mockRestore());
}

const order = async (ctx: RequestContext, serviceDefault?: number) => (await retrieve(deps(serviceDefault), ctx, { query: "anything" })).chunks.map((c) => [c.chunkId, c.score]);

describe("hybrid fusion weight", () => {
  it("uses the tenant's keywordWeight over the service default", async () => {
    quiet();
    expect(await order(tenantContext(0.9), 0.1)).toEqual([["lexical", 0.9 + 0.1 * (0.3 / 0.9)], ["vector", 0.9 * 0.2 + 0.1]].map(([id, s]) => [id, expect.closeTo(s as number, 6)]));
    expect(await order(tenantContext(0.1), 0.9)).toEqual([["vector", 0.1 * 0.2 + 0.9], ["lexical", 0.1 + 0.9 * (0.3 / 0.9)]].map(([id, s]) => [id, expect.closeTo(s as number, 6)]));
  });

  it("falls back to the service's default for its environment when the tenant sets none", async () => {
    quiet();
    expect((await order(tenantContext(), 0.55)).map(([id]) => id)).toEqual(["lexical", "vector"]);
    expect((await order(tenantContext(), 0.3)).map(([id]) => id)).toEqual(["vector", "lexical"]);
  });
});

describe("hybrid fusion depth", () => {
  it("scores a hit the semantic side's full list left out at that list's last score, not 0", async () => {
    quiet();
    // The default topK (5) asks each side for 50; the semantic side returns 50 other chunks, 0.9 down to 0.41.
    const semantic = Array.from({ length: 50 }, (_, i) => ({ id: `v${i}`, score: 0.9 - i * 0.01 }));
    const { chunks } = await retrieve(deps(undefined, [{ id: "lexical", score: 10 }], semantic), tenantContext(0.5), { query: "anything" });
    expect(chunks.map((c) => [c.chunkId, c.score])).toEqual([
      ["lexical", expect.closeTo(0.5 + 0.5 * (0.41 / 0.9), 6)],
      ["v0", 0.5],
      ["v1", expect.closeTo(0.5 * (0.89 / 0.9), 6)],
      ["v2", expect.closeTo(0.5 * (0.88 / 0.9), 6)],
      ["v3", expect.closeTo(0.5 * (0.87 / 0.9), 6)],
    ]);
  });
});
