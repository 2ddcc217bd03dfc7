// The gateway's side of admission: one TenantUsage.admit call per request, built from the authenticated caller (its
// tenant's and key's limits and budgets), the end user it names and the tokens the route will reserve. A refusal
// becomes 429 rate_limited or budget_exceeded naming the level that refused.
import { AppError } from "@platform/shared";
import type { GatewayRequest } from "../request.ts";
import type { AdmitInput, BudgetRefusal, Level, TokenBudgets } from "./admission.ts";
import { rateLimited } from "./rate-limit.ts";
import { reservationTtlMs } from "./reservation-ttl.ts";
import type { RateLimits } from "./sliding-window.ts";

export interface Reservation {
  /**
   * Replaces the reserved estimate with the tokens really used (0 when the call failed). Safe to call twice. With
   * `jobId`, the tokens are a queued ingest job's estimate, recorded to be settled when the job ends.
   */
  settle(tokensUsed: number, jobId?: string): Promise<void>;
}

interface LimitsConfig {
  requestsPerMinute?: number;
  burst?: number;
}

const END_USER = /^[\x21-\x7e]{1,128}$/;
const PERIOD_WORD = { day: "daily", month: "monthly" } as const;
const WHOSE = { tenant: "this tenant's", key: "this API key's", user: "this end user's" } as const;

export function usageStub(env: GatewayEnv, tenantId: string) {
  return env.TENANT_USAGE.get(env.TENANT_USAGE.idFromName(tenantId));
}

/** The end user a request names (`x-user-id`, or OpenAI's `user` field): 1-128 printable ASCII characters. */
export function endUser(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !END_USER.test(value)) {
    throw new AppError("invalid_request", `${field} must be 1-128 printable ASCII characters without spaces`, { details: { nested: { [field]: ["invalid end user id"] } } });
  }
  return value;
}

/**
 * Admits the request (once): checks every rate window and, when `estimate` > 0, every token budget, and reserves
 * `estimate` tokens, all in one Durable Object call. Returns the reservation to settle, if any.
 */
export async function admit(request: GatewayRequest, env: GatewayEnv, estimate: number): Promise<Reservation | undefined> {
  const who = request.caller;
  if (!who) throw new AppError("unauthorized", "missing API key");
  if (request.admitted) throw new Error("a request is admitted once");
  request.admitted = true;
  const { tenant } = who;
  const { perUser: userLimits, ...tenantLimits } = tenant.limits as typeof tenant.limits & { perUser?: LimitsConfig };
  const { perUser: userBudgets, ...tenantBudgets } = tenant.budgets as TokenBudgets & { perUser?: TokenBudgets };
  const base = { perMinute: tenantLimits.requestsPerMinute, burst: tenantLimits.burst };
  const userId = request.userId;
  const input: AdmitInput & { ttlMs: number } = {
    keyId: who.keyId,
    limits: { tenant: base },
    budgets: { tenant: tenantBudgets },
    estimate: estimate > 0 ? Math.max(1, Math.ceil(estimate)) : 0,
    ttlMs: reservationTtlMs(tenant, env),
  };
  if (who.key?.limits) input.limits.key = rateLimits(who.key.limits, base);
  if (who.key?.budgets) input.budgets.key = who.key.budgets;
  if (userId !== undefined) {
    input.userId = userId;
    if (userLimits) input.limits.user = rateLimits(userLimits, base);
    if (userBudgets) input.budgets.user = userBudgets;
  }
  const stub = usageStub(env, tenant.id);
  const started = Date.now();
  const result = await stub.admit(input);
  request.admission = { calls: (request.admission?.calls ?? 0) + 1, ms: Date.now() - started };
  request.rateLimit = result.rate;
  if (!result.ok) throw result.refused === "rate" ? rateLimited(result.rate, result.level) : budgetExceeded(result);
  const id = result.reservationId;
  if (id === undefined) return undefined;
  const chargees = userId === undefined ? { keyId: who.keyId } : { keyId: who.keyId, userId };
  let settled = false;
  return {
    async settle(tokensUsed: number, jobId?: string) {
      if (settled) return;
      settled = true;
      await stub.settle(id, Math.max(0, Math.round(tokensUsed)), chargees, jobId === undefined ? undefined : { jobId, tenantId: tenant.id });
    },
  };
}

function rateLimits(config: LimitsConfig, base: RateLimits): RateLimits {
  return { perMinute: config.requestsPerMinute ?? base.perMinute, burst: config.burst ?? base.burst };
}

function budgetExceeded(refusal: BudgetRefusal & { level: Level }): AppError {
  return new AppError("budget_exceeded", `${WHOSE[refusal.level]} ${PERIOD_WORD[refusal.period]} token budget (${refusal.limit}) would be exceeded`, {
    retryAfter: refusal.retryAfter,
    details: { period: refusal.period, limit: refusal.limit, used: refusal.used, level: refusal.level },
  });
}
