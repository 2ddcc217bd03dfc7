// Token budgets per tenant (per day and per month), kept exact under concurrency by the TenantUsage Durable Object.
// A route reserves its worst case before calling a service and settles with the real usage afterwards.
import { AppError, type RequestContext } from "@platform/shared";
import type { UsageMetric } from "./tenant-usage.ts";

export interface Reservation {
  /** Replaces the reserved estimate with the tokens really used (0 when the call failed). Safe to call twice. */
  settle(tokensUsed: number): Promise<void>;
}

export function usageStub(env: GatewayEnv, tenantId: string) {
  return env.TENANT_USAGE.get(env.TENANT_USAGE.idFromName(tenantId));
}

/** Reserves `estimate` tokens for ctx's tenant; throws budget_exceeded (429, Retry-After) when it could overspend. */
export async function reserveTokens(env: GatewayEnv, ctx: RequestContext, estimate: number): Promise<Reservation> {
  const stub = usageStub(env, ctx.tenantId);
  const result = await stub.reserve(Math.max(1, Math.ceil(estimate)), ctx.tenant.budgets);
  if (!result.ok) {
    throw new AppError("budget_exceeded", `this tenant's ${result.period}ly token budget (${result.limit}) would be exceeded`, {
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
