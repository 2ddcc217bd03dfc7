// AuthFailures Durable Object: one per client IP, counting failed authentications in a one-minute window, so that
// guessing keys is slow. Consulted before any registry key lookup; a success never writes here.
import { DurableObject } from "cloudflare:workers";

export const AUTH_FAILURE_LIMIT = { perMinute: 20, windowMs: 60_000 } as const;

export class AuthFailures extends DurableObject<GatewayEnv> {
  private times: number[];

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS failures (at INTEGER NOT NULL)");
    this.times = ctx.storage.sql.exec<{ at: number }>("SELECT at FROM failures ORDER BY at").toArray().map((r) => r.at);
  }

  private prune(now: number): void {
    const cutoff = now - AUTH_FAILURE_LIMIT.windowMs;
    if (this.times.length && (this.times[0] ?? now) <= cutoff) {
      this.times = this.times.filter((at) => at > cutoff);
      this.ctx.storage.sql.exec("DELETE FROM failures WHERE at <= ?", cutoff);
    }
  }

  /** Milliseconds until this IP may try again (0: it may). */
  private wait(now: number): number {
    if (this.times.length < AUTH_FAILURE_LIMIT.perMinute) return 0;
    const oldest = this.times[this.times.length - AUTH_FAILURE_LIMIT.perMinute] ?? now;
    return Math.max(1, oldest + AUTH_FAILURE_LIMIT.windowMs - now);
  }

  check(): number {
    const now = Date.now();
    this.prune(now);
    return this.wait(now);
  }

  /** Records one failure; returns the wait that now applies to it (0 for the first `perMinute` of a window). */
  fail(): number {
    const now = Date.now();
    this.prune(now);
    this.times.push(now);
    this.ctx.storage.sql.exec("INSERT INTO failures (at) VALUES (?)", now);
    return this.times.length > AUTH_FAILURE_LIMIT.perMinute ? this.wait(now) : 0;
  }
}
