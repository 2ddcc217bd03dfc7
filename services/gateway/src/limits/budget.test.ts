// Reserve-then-settle: every outcome of the call settles the reservation exactly once, with what the call used.
import { describe, expect, it } from "vitest";
import { AppError, type RequestContext } from "@platform/shared";
import { withTokenBudget } from "./budget.ts";
import type { ReserveResult } from "./tenant-usage.ts";

function fakeEnv(reserve: ReserveResult = { ok: true, id: "r1" }) {
  const calls: string[] = [];
  const stub = {
    async reserve(estimate: number) {
      calls.push(`reserve ${estimate}`);
      return reserve;
    },
    async settle(id: string, tokens: number) {
      calls.push(`settle ${id} ${tokens}`);
    },
  };
  const env = { TENANT_USAGE: { idFromName: (name: string) => name, get: () => stub } } as unknown as GatewayEnv;
  return { env, calls };
}

const ctx = { tenantId: "t1", tenant: { budgets: { tokensPerDay: 3000 } } } as unknown as RequestContext;

describe("withTokenBudget", () => {
  it("reserves the estimate, then settles with the tokens the result reports", async () => {
    const { env, calls } = fakeEnv();
    const { result, settled } = await withTokenBudget(env, ctx, 99.2, async () => ({ tokens: 42 }), (r) => r.tokens);
    await settled;
    expect(result).toEqual({ tokens: 42 });
    expect(calls).toEqual(["reserve 100", "settle r1 42"]);
  });

  it("settles 0 and rethrows the call's error when the call fails", async () => {
    const { env, calls } = fakeEnv();
    const failing = withTokenBudget(env, ctx, 10, () => Promise.reject(new AppError("not_found", "gone")), () => 1);
    await expect(failing).rejects.toThrow(/gone/);
    expect(calls).toEqual(["reserve 10", "settle r1 0"]);
  });

  it("settles only once a streamed result reports its usage", async () => {
    const { env, calls } = fakeEnv();
    let finish: (tokens: number) => void = () => {};
    const usage = new Promise<number>((resolve) => (finish = resolve));
    const { settled } = await withTokenBudget(env, ctx, 10, async () => "stream", () => usage);
    expect(calls).toEqual(["reserve 10"]);
    finish(7);
    await settled;
    expect(calls).toEqual(["reserve 10", "settle r1 7"]);
  });

  it("takes a call already running even when its promise is callable, as an RPC promise is", async () => {
    const { env, calls } = fakeEnv();
    const promise = Promise.resolve({ tokens: 5 });
    // oxlint-disable-next-line unicorn/no-thenable -- an RPC promise is exactly such a callable thenable
    const rpcLike = Object.assign(() => Promise.reject(new Error("called as a thunk")), { then: promise.then.bind(promise), catch: promise.catch.bind(promise) });
    const { result, settled } = await withTokenBudget(env, ctx, 10, rpcLike as unknown as Promise<{ tokens: number }>, (r) => r.tokens);
    await settled;
    expect(result).toEqual({ tokens: 5 });
    expect(calls).toEqual(["reserve 10", "settle r1 5"]);
  });

  it("refuses over budget with the period in words, and waits for a call already running", async () => {
    const { env, calls } = fakeEnv({ ok: false, period: "day", retryAfter: 60, limit: 3000, used: 2990 });
    let ran = false;
    const running = new Promise<number>((resolve) => setTimeout(() => resolve(1), 1)).then((n) => ((ran = true), n));
    const error = await withTokenBudget(env, ctx, 50, running, (n) => n).catch((e: unknown) => e);
    expect((error as AppError).body).toEqual({
      code: "budget_exceeded",
      message: "this tenant's daily token budget (3000) would be exceeded",
      retryAfter: 60,
      details: { period: "day", limit: 3000, used: 2990 },
    });
    expect(ran).toBe(true);
    expect(calls).toEqual(["reserve 50"]);
  });
});
