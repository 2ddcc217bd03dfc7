// Unit tests for the search contract: request schemas, filters in Vectorize's grammar and token estimates.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { estimateSearchTokens, ftsTenantToken, RetrieveRequestSchema, SearchRequestSchema } from "./search-contract.ts";
import { TenantConfigSchema, tenantSettings } from "./tenant.ts";

const ok = (input: unknown) => v.safeParse(RetrieveRequestSchema, input).success;

describe("retrieve and search requests", () => {
  it("accept a query with optional topK, mode, rerank and a Vectorize-style filter", () => {
    expect(ok({ query: "reset", topK: 10, mode: "keyword", rerank: true, filter: { team: "ops", year: { $gte: 2020 }, tag: { $in: ["a", "b"] } } })).toBe(true);
    expect(v.safeParse(SearchRequestSchema, { query: "x", answer: false, cache: false }).success).toBe(true);
  });

  it("refuse empty queries, unknown modes, topK over 100 (search: over 50), bad filter keys and unknown operators", () => {
    expect(ok({ query: "x", topK: 100 })).toBe(true);
    expect(v.safeParse(SearchRequestSchema, { query: "x", topK: 50 }).success).toBe(true);
    expect(v.safeParse(SearchRequestSchema, { query: "x", topK: 51 }).success).toBe(false);
    for (const bad of [{ query: "  " }, { query: "x", mode: "fuzzy" }, { query: "x", topK: 101 }, { query: "x", filter: { "a.b": 1 } }, { query: "x", filter: { a: { $regex: "x" } } }, { query: "x", filter: { a: {} } }, { query: "x", extra: 1 }]) {
      expect(ok(bad)).toBe(false);
    }
  });
});

describe("estimateSearchTokens", () => {
  it("covers the answer only when one is asked for", () => {
    const tenant = tenantSettings(v.parse(TenantConfigSchema, { id: "t", name: "T", keys: [], models: { chat: "@cf/meta/llama-3.1-8b-instruct-fast" } }));
    const full = estimateSearchTokens(tenant, { query: "reset password" });
    const noAnswer = estimateSearchTokens(tenant, { query: "reset password", answer: false, rerank: false });
    expect(full).toBeGreaterThan(noAnswer + 512);
    expect(noAnswer).toBe(4);
  });
});

describe("ftsTenantToken", () => {
  it("is one alphanumeric token per tenant", () => {
    expect(ftsTenantToken("demo")).toBe("t64656d6f");
    expect(ftsTenantToken("demo-2")).toMatch(/^t[0-9a-f]+$/);
  });
});
