// Unit tests for hybrid retrieval's fusion weight: the tenant's `rag.fusion.keywordWeight` when it sets one, else
// the service's default for its environment (fake D1, Vectorize and AI; the SQL itself is covered by integration).
import * as v from "valibot";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { TenantConfigSchema, tenantSettings, type AiRunner, type RequestContext } from "@platform/shared";
import { retrieve } from "./retrieve.ts";

// "lexical" is BM25's best hit and the semantic side's weak one; "vector" the other way round.
const KEYWORD_HITS = [{ id: "lexical", score: 10 }, { id: "vector", score: 2 }];
const SEMANTIC_MATCHES = [{ id: "vector", score: 0.9 }, { id: "lexical", score: 0.3 }];

function fakeDb(): D1Database {
  const row = (id: string) => ({ id, wanted: 1, doc_id: `doc-${id}`, title: null, url: null, headings: "", text: id, metadata: "{}" });
  const statement = (sql: string, params: unknown[] = []) => ({
    bind: (...values: unknown[]) => statement(sql, values),
    // Every query word is in the tenant's chunks: none is absent, so no typo is corrected.
    all: async () => ({ results: sql.includes("bm25(") ? KEYWORD_HITS : sql.includes("NOT EXISTS") ? [] : (JSON.parse(params[0] as string) as string[]).map(row) }),
  });
  return { prepare: (sql: string) => statement(sql), batch: async (statements: { all: () => Promise<unknown> }[]) => Promise.all(statements.map((s) => s.all())) } as unknown as D1Database;
}

const deps = (keywordWeight?: number) => ({
  db: fakeDb(),
  index: { query: async () => ({ matches: SEMANTIC_MATCHES, count: SEMANTIC_MATCHES.length }) } as unknown as Pick<Vectorize, "query">,
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
