// RateLimiter Durable Object: one per tenant and API key (a request without a valid key is refused before it is
// counted), exact because it is single-threaded.
import { DurableObject } from "cloudflare:workers";
import { decide, prune, type RateDecision, type RateLimits } from "./sliding-window.ts";

export class RateLimiter extends DurableObject<GatewayEnv> {
  private times: number[];

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS admitted (at INTEGER NOT NULL)");
    this.times = ctx.storage.sql.exec<{ at: number }>("SELECT at FROM admitted ORDER BY at").toArray().map((row) => row.at);
  }

  admit(limits: RateLimits): RateDecision {
    const now = Date.now();
    const before = this.times.length;
    this.times = prune(this.times, now);
    if (this.times.length < before) this.ctx.storage.sql.exec("DELETE FROM admitted WHERE at <= ?", now - 60_000);
    const decision = decide(this.times, now, limits);
    if (decision.allowed) {
      this.times.push(now);
      this.ctx.storage.sql.exec("INSERT INTO admitted (at) VALUES (?)", now);
    }
    return decision;
  }
}
