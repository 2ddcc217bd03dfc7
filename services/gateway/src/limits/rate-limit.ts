// The gateway's rate-limit check: one RateLimiter object per tenant and caller, decided before any service is called.
import { AppError } from "@platform/shared";
import type { RateDecision } from "./sliding-window.ts";
import type { Caller } from "../auth.ts";

export async function checkRateLimit(env: GatewayEnv, caller: Caller): Promise<RateDecision> {
  const name = `${caller.tenant.id}:key:${caller.keyId}`;
  const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));
  return limiter.admit({ perMinute: caller.tenant.limits.requestsPerMinute, burst: caller.tenant.limits.burst });
}

export function rateLimited(decision: RateDecision): AppError {
  return new AppError("rate_limited", "rate limit exceeded for this API key", { retryAfter: decision.resetSeconds, details: { limit: decision.limit } });
}

export function rateLimitHeaders(headers: Headers, decision: RateDecision): void {
  headers.set("ratelimit-limit", String(decision.limit));
  headers.set("ratelimit-remaining", String(decision.remaining));
  headers.set("ratelimit-reset", String(decision.resetSeconds));
}
