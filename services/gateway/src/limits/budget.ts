// Token budgets per tenant (per day and per month), kept exact under concurrency by the TenantUsage Durable Object.
// Every route that spends tokens goes through withTokenBudget: reserve the worst case, call, settle with the real usage.
import { AppError, type RequestContext } from "@platform/shared";
import type { UsageMetric } from "./tenant-usage.ts";

const PERIOD_WORD = { day: "daily", month: "monthly" } as const;

interface Reservation {
  /** Replaces the reserved estimate with the tokens really used (0 when the call failed). Safe to call twice. */
  settle(tokensUsed: number): Promise<void>;
}

export interface Budgeted<T> {
  result: T;
  /** Resolves once the reservation is settled: await it, or hand it to ctx.waitUntil (streams settle when they end). */
  settled: Promise<void>;
}

export function usageStub(env: GatewayEnv, tenantId: string) {
  return env.TENANT_USAGE.get(env.TENANT_USAGE.idFromName(tenantId));
}

/**
 * Reserves `estimate` tokens for ctx's tenant (budget_exceeded, 429 with Retry-After, when it could overspend), runs
 * `call`, and settles with `used(result)` tokens, or 0 when the call fails. `call` may be a promise already running
 * (a call made while the reservation is checked): when the reservation is refused, its result is waited for and dropped.
 */
export async function withTokenBudget<T>(
  env: GatewayEnv,
  ctx: RequestContext,
  estimate: number,
  call: Promise<T> | (() => Promise<T>),
  used: (result: NoInfer<T>) => number | Promise<number>,
): Promise<Budgeted<T>> {
  // An RPC call's promise is callable too (for pipelining), so a running call is told from a thunk by its `then`.
  const running = "then" in call && typeof call.then === "function" ? (call as Promise<T>) : undefined;
  running?.catch(() => {}); // handled below; this keeps an early failure from counting as unhandled meanwhile
  let reservation: Reservation;
  try {
    reservation = await reserveTokens(env, ctx, estimate);
  } catch (error) {
    await running?.catch(() => {});
    throw error;
  }
  let result: T;
  try {
    result = await (running ?? (call as () => Promise<T>)());
  } catch (error) {
    // The call's own error is the one to answer with, even if settling fails too.
    await reservation.settle(0).catch(() => {});
    throw error;
  }
  const settled = Promise.resolve(result)
    .then(used)
    .then((tokens) => reservation.settle(tokens), (error: unknown) => reservation.settle(0).then(() => Promise.reject(error)));
  return { result, settled };
}

async function reserveTokens(env: GatewayEnv, ctx: RequestContext, estimate: number): Promise<Reservation> {
  const stub = usageStub(env, ctx.tenantId);
  const result = await stub.reserve(Math.max(1, Math.ceil(estimate)), ctx.tenant.budgets);
  if (!result.ok) {
    throw new AppError("budget_exceeded", `this tenant's ${PERIOD_WORD[result.period]} token budget (${result.limit}) would be exceeded`, {
      retryAfter: result.retryAfter,
      details: { period: result.period, limit: result.limit, used: result.used },
    });
  }
  let settled = false;
  return {
    async settle(tokensUsed: number) {
      if (settled) return;
      settled = true;
      await stub.settle(result.id, Math.max(0, Math.round(tokensUsed)));
    },
  };
}

export async function addUsage(env: GatewayEnv, tenantId: string, metric: UsageMetric, amount: number): Promise<void> {
  await usageStub(env, tenantId).add(metric, amount);
}
