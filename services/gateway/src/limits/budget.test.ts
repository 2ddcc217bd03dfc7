// Admit-then-settle: one admission call reserves the estimate; every outcome of the call settles it exactly once. The
// gated form starts the call beside the admission and lets it past its gate only once admitted.
import { describe, expect, it } from "vitest";
import { AppError } from "@platform/shared";
import type { GatewayRequest } from "../request.ts";
import type { AdmitResult } from "./admission.ts";
import { withGatedTokenBudget, withTokenBudget } from "./budget.ts";

const rate = { allowed: true, limit: 60, remaining: 5, resetSeconds: 0 };

function fakeEnv(result: AdmitResult = { ok: true, rate, reservationId: "r1" }) {
  const calls: string[] = [];
  const stub = {
    inputs: [] as unknown[],
    async admit(input: { estimate: number; userId?: string }) {
      stub.inputs.push(input);
      calls.push(`admit ${input.estimate}${input.userId ? ` ${input.userId}` : ""}`);
      return result;
    },
    async settle(id: string, tokens: number, chargees: { keyId: string; userId?: string }, job?: { jobId: string; tenantId: string }) {
      calls.push(`settle ${id} ${tokens} ${chargees.keyId}${chargees.userId ? ` ${chargees.userId}` : ""}${job ? ` for ${job.tenantId}/${job.jobId}` : ""}`);
    },
  };
  const env = { ENVIRONMENT: "production", TENANT_USAGE: { idFromName: (name: string) => name, get: () => stub } } as unknown as GatewayEnv;
  return { env, calls, inputs: stub.inputs };
}

function fakeRequest(userId?: string, key?: object): GatewayRequest {
  const tenant = {
    id: "t1",
    limits: { requestsPerMinute: 60, burst: 20, perUser: { burst: 5 } },
    budgets: { tokensPerDay: 3000, perUser: { tokensPerDay: 500 } },
    tools: { maxRounds: 3 },
  };
  return { caller: { tenant, keyId: "k1", scopes: [], key }, userId } as unknown as GatewayRequest;
}

describe("withTokenBudget", () => {
  it("admits with the estimate, then settles with the tokens the result reports", async () => {
    const { env, calls } = fakeEnv();
    const request = fakeRequest("u1");
    const { result, settled } = await withTokenBudget(request, env, 99.2, async () => ({ tokens: 42 }), (r) => r.tokens);
    await settled;
    expect(result).toEqual({ tokens: 42 });
    expect(calls).toEqual(["admit 100 u1", "settle r1 42 k1 u1"]);
    expect(request.rateLimit).toEqual(rate);
  });

  it("settles 0 and rethrows the call's error when the call fails", async () => {
    const { env, calls } = fakeEnv();
    const failing = withTokenBudget(fakeRequest(), env, 10, () => Promise.reject(new AppError("not_found", "gone")), () => 1);
    await expect(failing).rejects.toThrow(/gone/);
    expect(calls).toEqual(["admit 10", "settle r1 0 k1"]);
  });

  it("settles only once a streamed result reports its usage", async () => {
    const { env, calls } = fakeEnv();
    let finish: (tokens: number) => void = () => {};
    const usage = new Promise<number>((resolve) => (finish = resolve));
    const { settled } = await withTokenBudget(fakeRequest(), env, 10, async () => "stream", () => usage);
    expect(calls).toEqual(["admit 10"]);
    finish(7);
    await settled;
    expect(calls).toEqual(["admit 10", "settle r1 7 k1"]);
  });

  it("records a queued job's estimate with its charge, for the job to be settled when it ends", async () => {
    const { env, calls } = fakeEnv();
    const { settled } = await withTokenBudget(fakeRequest("u1"), env, 300, async () => ({ jobId: "job_1" }), (job) => ({ tokens: 300, jobId: job.jobId }));
    await settled;
    expect(calls).toEqual(["admit 300 u1", "settle r1 300 k1 u1 for t1/job_1"]);
  });

  it("refuses over budget naming the level and period, and never makes the call", async () => {
    const { env, calls } = fakeEnv({ ok: false, refused: "budget", rate, level: "tenant", period: "day", retryAfter: 60, limit: 3000, used: 2990 });
    let ran = false;
    const error = await withTokenBudget(fakeRequest(), env, 50, async () => (ran = true), () => 1).catch((e: unknown) => e);
    expect((error as AppError).body).toEqual({
      code: "budget_exceeded",
      message: "this tenant's daily token budget (3000) would be exceeded",
      retryAfter: 60,
      details: { period: "day", limit: 3000, used: 2990, level: "tenant" },
    });
    expect(ran).toBe(false);
    expect(calls).toEqual(["admit 50"]);
  });

  it("refuses a rate-limited end user naming the level", async () => {
    const refused = { allowed: false, limit: 10, remaining: 0, resetSeconds: 4 };
    const { env } = fakeEnv({ ok: false, refused: "rate", level: "user", rate: refused });
    const error = await withTokenBudget(fakeRequest("u1"), env, 5, async () => 1, () => 1).catch((e: unknown) => e);
    expect((error as AppError).body).toEqual({ code: "rate_limited", message: "rate limit exceeded for this end user", retryAfter: 4, details: { limit: 10, level: "user" } });
  });

  it("asks for every level that applies in the one admission call: tenant per key, the key's own, the end user's", async () => {
    const { env, inputs } = fakeEnv();
    const key = { limits: { requestsPerMinute: 10 }, budgets: { tokensPerMonth: 900 } };
    await withTokenBudget(fakeRequest("u1", key), env, 40, async () => 1, () => 1);
    await withTokenBudget(fakeRequest(), env, 40, async () => 1, () => 1);
    expect(inputs).toEqual([
      {
        keyId: "k1",
        userId: "u1",
        limits: { tenant: { perMinute: 60, burst: 20 }, key: { perMinute: 10, burst: 20 }, user: { perMinute: 60, burst: 5 } },
        budgets: { tenant: { tokensPerDay: 3000 }, key: { tokensPerMonth: 900 }, user: { tokensPerDay: 500 } },
        estimate: 40,
        ttlMs: 3 * (60_000 + 300_000) + 60_000 + 60_000,
      },
      { keyId: "k1", limits: { tenant: { perMinute: 60, burst: 20 } }, budgets: { tenant: { tokensPerDay: 3000 } }, estimate: 40, ttlMs: 1_200_000 },
    ]);
  });
});

describe("withGatedTokenBudget", () => {
  const budgetRefusal: AdmitResult = { ok: false, refused: "budget", rate, level: "tenant", period: "day", retryAfter: 60, limit: 3000, used: 2990 };

  it("starts the call while the admission is asked, opens its gate once admitted, and settles as withTokenBudget does", async () => {
    const { env, calls } = fakeEnv();
    const call = async (gate: () => Promise<boolean>) => {
      calls.push("call");
      calls.push(`gate ${await gate()}`);
      return { tokens: 42 };
    };
    const { result, settled } = await withGatedTokenBudget(fakeRequest("u1"), env, 99.2, call, (r) => r.tokens, () => calls.push("discard"));
    await settled;
    expect(result).toEqual({ tokens: 42 });
    expect(calls).toEqual(["admit 100 u1", "call", "gate true", "settle r1 42 k1 u1"]);
  });

  it("answers a refusal with the admission's error, whatever the call answered, and closes the gate", async () => {
    const { env, calls } = fakeEnv(budgetRefusal);
    const call = async (gate: () => Promise<boolean>) => {
      if (!(await gate())) throw new AppError("rate_limited", "the request was not admitted");
      calls.push("spent");
      return 1;
    };
    const error = await withGatedTokenBudget(fakeRequest(), env, 50, call, () => 1, () => calls.push("discard")).catch((e: unknown) => e);
    expect((error as AppError).body).toMatchObject({ code: "budget_exceeded", retryAfter: 60, details: { level: "tenant", period: "day" } });
    expect(calls).toEqual(["admit 50"]);
  });

  it("discards a result that arrives for a refused request (a service that ignored the gate)", async () => {
    const { env, calls } = fakeEnv(budgetRefusal);
    const error = await withGatedTokenBudget(fakeRequest(), env, 50, async () => "stream", () => 1, (r) => calls.push(`discard ${r}`)).catch((e: unknown) => e);
    expect((error as AppError).body.code).toBe("budget_exceeded");
    await Promise.resolve();
    expect(calls).toEqual(["admit 50", "discard stream"]);
  });

  it("settles 0 and rethrows the call's own error when admitted", async () => {
    const { env, calls } = fakeEnv();
    const failing = withGatedTokenBudget(fakeRequest(), env, 10, () => Promise.reject(new AppError("not_found", "gone")), () => 1, () => {});
    await expect(failing).rejects.toThrow(/gone/);
    expect(calls).toEqual(["admit 10", "settle r1 0 k1"]);
  });
});
