// Sliding-window rate limit arithmetic: at most `perMinute` requests in any 60 s and `burst` in any 10 s.
// Pure functions over a sorted list of admission times, so the Durable Object stays a thin shell.

export interface RateLimits {
  perMinute: number;
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the next request would be admitted (0 when one would be now). */
  resetSeconds: number;
}

export const MINUTE_MS = 60_000;
export const BURST_WINDOW_MS = 10_000;

/** Drops admissions older than the longest window; `times` is sorted ascending. */
export function prune(times: number[], now: number): number[] {
  const cutoff = now - MINUTE_MS;
  let first = 0;
  while (first < times.length && (times[first] as number) <= cutoff) first++;
  return first === 0 ? times : times.slice(first);
}

export function decide(times: readonly number[], now: number, limits: RateLimits): RateDecision {
  const inMinute = times.length;
  const burstStart = now - BURST_WINDOW_MS;
  let inBurst = 0;
  for (let i = times.length - 1; i >= 0 && (times[i] as number) > burstStart; i--) inBurst++;

  const allowed = inMinute < limits.perMinute && inBurst < limits.burst;
  const after = allowed ? 1 : 0;
  const remaining = Math.max(0, Math.min(limits.perMinute - inMinute - after, limits.burst - inBurst - after));
  return { allowed, limit: limits.perMinute, remaining, resetSeconds: remaining > 0 ? 0 : secondsUntilSlot(times, now, limits, after) };
}

function secondsUntilSlot(times: readonly number[], now: number, limits: RateLimits, pending: number): number {
  // A slot frees when enough admissions leave each window that is full.
  let waitMs = 0;
  const minuteOver = times.length + pending - limits.perMinute;
  if (minuteOver >= 0) waitMs = Math.max(waitMs, (times[minuteOver] ?? now) + MINUTE_MS - now);
  const burstTimes = times.filter((t) => t > now - BURST_WINDOW_MS);
  const burstOver = burstTimes.length + pending - limits.burst;
  if (burstOver >= 0) waitMs = Math.max(waitMs, (burstTimes[burstOver] ?? now) + BURST_WINDOW_MS - now);
  return Math.max(1, Math.ceil(waitMs / 1000));
}
