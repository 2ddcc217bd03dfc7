// Rate-limit answers: the 429 naming the level that refused (tenant, key or user) and the RateLimit headers.
import { AppError } from "@platform/shared";
import type { Level } from "./admission.ts";
import type { RateDecision } from "./sliding-window.ts";

const WHOSE = { tenant: "this API key", key: "this API key's own limit", user: "this end user" } as const;

export function rateLimited(decision: RateDecision, level: Level): AppError {
  return new AppError("rate_limited", `rate limit exceeded for ${WHOSE[level]}`, { retryAfter: decision.resetSeconds, details: { limit: decision.limit, level } });
}

export function rateLimitHeaders(headers: Headers, decision: RateDecision): void {
  headers.set("ratelimit-limit", String(decision.limit));
  headers.set("ratelimit-remaining", String(decision.remaining));
  headers.set("ratelimit-reset", String(decision.resetSeconds));
}
