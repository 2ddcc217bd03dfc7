// Per-user limits and budgets (x-user-id, or OpenAI's `user` field) enforced on top of the tenant's, in the same one
// admission call, exactly under concurrency; refusals name the level that refused. The tenant is this file's own.
import { describe, expect, it } from "vitest";
import { gatewayUrl, postJson, testTenant } from "./helpers.ts";

const { key: KEY } = testTenant("test-admission");
const USER_DAY_BUDGET = 600;

const usage = (userId?: string) =>
  fetch(`${gatewayUrl()}/v1/usage`, { headers: { authorization: `Bearer ${KEY}`, ...(userId ? { "x-user-id": userId } : {}) } });

const chat = (userId: string, maxTokens: number) => postJson("/v1/chat", { message: "What is a token budget?", max_tokens: maxTokens, stream: false }, KEY, { "x-user-id": userId });

describe("per-user admission", () => {
  it("admits exactly a user's burst of concurrent requests, and other users and the tenant keep theirs", async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => usage("user-rate")));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited).toHaveLength(7);
    const body = (await limited[0]!.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error).toMatchObject({ code: "rate_limited", message: "rate limit exceeded for this end user", details: { level: "user", limit: 5 } });
    for (const response of limited) expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await usage("user-rate-other")).status).toBe(200);
    expect((await usage()).status).toBe(200);
  });

  it("refuses a user over their daily token budget, naming the level, while another user is admitted", async () => {
    const first = await chat("user-budget", 500);
    expect(first.status).toBe(200);
    const spent = (first.body.data as { usage: { total_tokens: number } }).usage.total_tokens;
    // Prompt and max_tokens now ask for more than the ~600 - spent the user has left.
    const refused = await chat("user-budget", USER_DAY_BUDGET - 10);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: "budget_exceeded",
      message: `this end user's daily token budget (${USER_DAY_BUDGET}) would be exceeded`,
      details: { level: "user", period: "day", limit: USER_DAY_BUDGET, used: spent },
    });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await chat("user-budget-other", 500)).status).toBe(200);
  });

  it("takes the end user from OpenAI's `user` field", async () => {
    const completion = (maxTokens: number, user?: string) =>
      postJson("/v1/chat/completions", { model: "@cf/meta/llama-3.1-8b-instruct-fast", user, max_tokens: maxTokens, messages: [{ role: "user", content: "hi" }] }, KEY);
    expect((await completion(100, "user-openai")).status).toBe(200);
    // More than any user may spend in a day: refused for a named user, admitted on the tenant's budget without one.
    const refused = await completion(USER_DAY_BUDGET + 1, "user-openai");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: "budget_exceeded" } });
    expect((await completion(USER_DAY_BUDGET + 1)).status).toBe(200);
  });

  it("never lets concurrent chats overspend a user's budget: exactly one of three that each ask for nearly all of it", async () => {
    // Three is the user's burst, so every refusal here is the budget's; each asks for ~598 of the 600 tokens, so once
    // one holds or has spent anything, no other fits, however the three interleave.
    const responses = await Promise.all(Array.from({ length: 3 }, () => chat("user-concurrent", USER_DAY_BUDGET - 10)));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(2);
    for (const response of refused) expect(response.body.error).toMatchObject({ code: "budget_exceeded", details: { level: "user", limit: USER_DAY_BUDGET } });
  });

  it("answers 400 for an end user id it cannot use", async () => {
    const response = await usage("has space");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });
});
