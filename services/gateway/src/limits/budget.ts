// Token budgets (tenant, key, end user; per day and month), kept exact under concurrency by the TenantUsage Durable
// Object. Every route that spends tokens goes through withTokenBudget: admit with the worst case reserved (the one
// admission call of the request), call, settle with the real usage. withGatedTokenBudget starts the call while the
// admission is decided, behind a gate the service awaits before it reads, writes or calls a model.
import type { AdmissionGate } from "@platform/shared";
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

type Used<T> = (result: T) => Spent | Promise<Spent>;

const NO_RESERVATION: Reservation = { settle: async () => {} };

/**
 * Admits the request reserving `estimate` tokens (429 rate_limited or budget_exceeded, with Retry-After, when it may
 * not run), then runs `call` and settles with `used(result)` tokens, or 0 when the call fails. Nothing is called
 * before the admission.
 */
export async function withTokenBudget<T>(request: GatewayRequest, env: GatewayEnv, estimate: number, call: () => Promise<T>, used: Used<NoInfer<T>>): Promise<Budgeted<T>> {
  const reservation = (await admit(request, env, Math.max(1, estimate))) ?? NO_RESERVATION;
  return settleAfter(reservation, call, used);
}

/** For a call that asks no model (a keyword retrieve): admitted by the rate limit alone, nothing reserved or settled. */
export async function withoutTokens<T>(request: GatewayRequest, env: GatewayEnv, call: () => Promise<T>): Promise<Budgeted<T>> {
  await admit(request, env, 0);
  return { result: await call(), settled: Promise.resolve() };
}

/**
 * withTokenBudget with the call started at once, beside the admission call, so the hop to the service overlaps it.
 * The service awaits `gate` before its first read, write or model call: a refused request therefore costs neither
 * storage nor tokens, and is answered with the same refusal as withTokenBudget's, whatever the service answered.
 * `discard` releases a result that arrives for a refused request anyway (a service that ignored the gate).
 */
export async function withGatedTokenBudget<T>(
  request: GatewayRequest,
  env: GatewayEnv,
  estimate: number,
  call: (gate: AdmissionGate) => Promise<T>,
  used: Used<NoInfer<T>>,
  discard: (result: T) => void,
): Promise<Budgeted<T>> {
  const admission = admit(request, env, Math.max(1, estimate));
  const gate: AdmissionGate = () => admission.then(() => true, () => false);
  const calling = call(gate);
  // Its failure is answered below, after the admission's outcome (a refusal wins over it, as if it never ran).
  calling.catch(() => {});
  let reservation: Reservation;
  try {
    reservation = (await admission) ?? NO_RESERVATION;
  } catch (refusal) {
    calling.then(discard, () => {});
    throw refusal;
  }
  return settleAfter(reservation, () => calling, used);
}

async function settleAfter<T>(reservation: Reservation, call: () => Promise<T>, used: Used<T>): Promise<Budgeted<T>> {
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
