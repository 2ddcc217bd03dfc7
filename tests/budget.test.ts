// Token budgets under concurrency: a tenant with tiny's budget (3,000 tokens a day) is never overspent. It is this
// file's own, so the day's counters hold exactly what these chats spent.
import { describe, expect, it } from "vitest";
import { call, postJson, testTenant } from "./helpers.ts";

const KEY = testTenant("test-budget").key;

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
});
