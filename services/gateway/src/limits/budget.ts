// Token budgets (tenant, key, end user; per day and month), kept exact under concurrency by the TenantUsage Durable
// Object. Every route that spends tokens goes through withTokenBudget: admit with the worst case reserved (the one
// admission call of the request), call, settle with the real usage.
import type { GatewayRequest } from "../request.ts";
import { admit, usageStub, type Reservation } from "./admit.ts";
import type { UsageMetric } from "./tenant-usage.ts";

export { usageStub } from "./admit.ts";

/** What a call spent: tokens, or a queued ingest job's estimate to settle when the job ends (job-charges.ts). */
export type Spent = number | { tokens: number; jobId: string };

export interface Budgeted<T> {
  result: T;
  /** Resolves once the reservation is settled: await it, or hand it to ctx.waitUntil (streams settle when they end). */
  settled: Promise<void>;
}

/**
 * Admits the request reserving `estimate` tokens (429 rate_limited or budget_exceeded, with Retry-After, when it may
 * not run), then runs `call` and settles with `used(result)` tokens, or 0 when the call fails. Nothing is called
 * before the admission.
 */
export async function withTokenBudget<T>(
  request: GatewayRequest,
  env: GatewayEnv,
  estimate: number,
  call: () => Promise<T>,
  used: (result: NoInfer<T>) => Spent | Promise<Spent>,
): Promise<Budgeted<T>> {
  const reservation: Reservation = (await admit(request, env, Math.max(1, estimate))) ?? { settle: async () => {} };
  let result: T;
  try {
    result = await call();
  } catch (error) {
    // The call's own error is the one to answer with, even if settling fails too.
    await reservation.settle(0).catch(() => {});
    throw error;
  }
  const settled = Promise.resolve(result)
    .then(used)
    .then((spent) => (typeof spent === "number" ? reservation.settle(spent) : reservation.settle(spent.tokens, spent.jobId)), (error: unknown) => reservation.settle(0).then(() => Promise.reject(error)));
  return { result, settled };
}

export async function addUsage(env: GatewayEnv, tenantId: string, metric: UsageMetric, amount: number): Promise<void> {
  await usageStub(env, tenantId).add(metric, amount);
}
