// Failed-authentication limiting per client IP: an isolate-local block list answers first (no storage), then the
// AuthFailures Durable Object is asked before any registry key lookup and told of each failure.
import { AppError } from "@platform/shared";

const blocked = new Map<string, number>();

const stub = (env: GatewayEnv, ip: string) => env.AUTH_FAILURES.get(env.AUTH_FAILURES.idFromName(ip));

function tooMany(ip: string, waitMs: number): AppError {
  blocked.set(ip, Date.now() + waitMs);
  if (blocked.size > 10_000) blocked.clear();
  return new AppError("rate_limited", "too many failed authentications from this address; try again later", { retryAfter: Math.ceil(waitMs / 1000) });
}

/** Throws 429 when this isolate already knows the IP is blocked. */
export function locallyBlocked(ip: string): void {
  const until = blocked.get(ip);
  if (until === undefined) return;
  if (until > Date.now()) throw new AppError("rate_limited", "too many failed authentications from this address; try again later", { retryAfter: Math.ceil((until - Date.now()) / 1000) });
  blocked.delete(ip);
}

/** Asked before a registry key lookup: throws 429 while the IP is over its failure limit. */
export async function guardCheck(env: GatewayEnv, ip: string): Promise<void> {
  const wait = await stub(env, ip).check();
  if (wait > 0) throw tooMany(ip, wait);
}

/** Records a failed authentication and throws 401 (or 429 once the IP is over the limit). */
export async function failedAttempt(env: GatewayEnv, ip: string): Promise<never> {
  const wait = await stub(env, ip).fail();
  if (wait > 0) throw tooMany(ip, wait);
  throw new AppError("unauthorized", "invalid API key");
}
