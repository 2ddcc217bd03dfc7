// Token budgets under concurrency: a tenant with tiny's budget (3,000 tokens a day) is never overspent. It is this
// file's own, so the day's counters hold exactly what these chats spent. A second tenant's 1-token budget shows
// which calls need none; a third's 300 tokens, that retrieves' small reservations (written behind) are exact too.
import { describe, expect, it } from "vitest";
import { call, postJson, testTenant } from "./helpers.ts";

const KEY = testTenant("test-budget").key;
const NO_BUDGET_KEY = testTenant("test-budget-none").key;
const RETRIEVE_KEY = testTenant("test-budget-retrieve").key;

const DAILY_BUDGET = 3000;

interface Usage {
  day: { tokens: number; tokensReserved: number; tokenBudget: number; tokensLeft: number };
}

describe("token budgets", () => {
  it("never overspends a small daily budget under 40 concurrent chats", async () => {
    // Each chat reserves its prompt estimate plus max_tokens (~400) and really spends a few hundred tokens,
    // so 40 of them ask for several times the budget at once.
    const message = `Summarise this passage for me please. ${"Budgets are reserved before a model call and settled after it. ".repeat(15)}`;
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => postJson("/v1/chat", { message, max_tokens: 100, stream: false }, KEY)),
    );
    const admitted = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    expect(admitted.length + refused.length).toBe(40);
    expect(admitted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(response.body.error?.code).toBe("budget_exceeded");
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }

    const spent = admitted.reduce((sum, r) => sum + (r.body.data as { usage: { total_tokens: number } }).usage.total_tokens, 0);
    const usage = await call<Usage>("/v1/usage", { key: KEY });
    expect(usage.body.data?.day.tokenBudget).toBe(DAILY_BUDGET);
    expect(usage.body.data?.day.tokensReserved).toBe(0);
    expect(usage.body.data?.day.tokens).toBe(spent);
    expect(spent).toBeLessThanOrEqual(DAILY_BUDGET);
    expect(usage.body.data?.day.tokensLeft).toBe(DAILY_BUDGET - spent);
  });

  it("never overspends a 300-token budget under 40 concurrent semantic retrieves (small reservations, written behind)", async () => {
    // Each reserves its query's estimate (22 tokens) and spends what the embedding counted: 40 ask for about 3 times
    // the budget at once. The reservations wait in memory, and each admission counts those of the others.
    const query = "how are small reservations written behind and still never overspent by concurrent requests";
    const responses = await Promise.all(Array.from({ length: 40 }, () => postJson("/v1/retrieve", { query, mode: "semantic" }, RETRIEVE_KEY)));
    const admitted = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    expect(admitted.length + refused.length).toBe(40);
    expect(admitted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) expect(response.body.error?.code).toBe("budget_exceeded");

    const spent = admitted.reduce((sum, r) => sum + (r.body.data as { usage: { total_tokens: number } }).usage.total_tokens, 0);
    const usage = await call<Usage>("/v1/usage", { key: RETRIEVE_KEY });
    expect(usage.body.data?.day).toMatchObject({ tokens: spent, tokensReserved: 0, tokenBudget: 300, tokensLeft: 300 - spent });
    expect(spent).toBeLessThanOrEqual(300);
  });

  it("admits a keyword retrieve, which asks no model, on a budget too small for any model call, and reserves nothing", async () => {
    const query = "how are budgets reserved before a model call";
    const hybrid = await postJson("/v1/retrieve", { query, mode: "hybrid" }, NO_BUDGET_KEY);
    expect(hybrid.status).toBe(429);
    expect(hybrid.body.error?.code).toBe("budget_exceeded");
    const keyword = await postJson("/v1/retrieve", { query, mode: "keyword" }, NO_BUDGET_KEY);
    expect(keyword.status).toBe(200);
    expect((keyword.body.data as { usage: { total_tokens: number } }).usage.total_tokens).toBe(0);
    const reranked = await postJson("/v1/retrieve", { query, mode: "keyword", rerank: true }, NO_BUDGET_KEY);
    expect(reranked.body.error?.code).toBe("budget_exceeded");
    const usage = await call<Usage>("/v1/usage", { key: NO_BUDGET_KEY });
    expect(usage.body.data?.day).toMatchObject({ tokens: 0, tokensReserved: 0, tokenBudget: 1, tokensLeft: 1 });
  });
});
