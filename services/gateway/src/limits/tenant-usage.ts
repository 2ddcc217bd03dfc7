// TenantUsage Durable Object: one per tenant. Counts requests, tokens and TTS characters per day and month,
// and holds token reservations so concurrent calls can never overspend a budget (single-threaded, synchronous SQL).
import { DurableObject } from "cloudflare:workers";
import { periodsAt } from "./periods.ts";

export type UsageMetric = "requests" | "tokens" | "ttsCharacters";
export interface TokenBudgets {
  tokensPerDay?: number;
  tokensPerMonth?: number;
}
export type ReserveResult = { ok: true; id: string } | { ok: false; period: "day" | "month"; retryAfter: number; limit: number; used: number };

export interface UsageReport {
  day: PeriodUsage;
  month: PeriodUsage;
}
interface PeriodUsage {
  period: string;
  requests: number;
  tokens: number;
  ttsCharacters: number;
  tokensReserved: number;
  tokenBudget: number | null;
  tokensLeft: number | null;
}

// A reservation that was never settled (the caller died) stops holding budget after this long.
const RESERVATION_TTL_MS = 15 * 60_000;

export class TenantUsage extends DurableObject<GatewayEnv> {
  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS counters (period TEXT NOT NULL, metric TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (period, metric));
      CREATE TABLE IF NOT EXISTS reservations (id TEXT PRIMARY KEY, tokens INTEGER NOT NULL, created_at INTEGER NOT NULL);
    `);
  }

  reserve(estimate: number, budgets: TokenBudgets): ReserveResult {
    const now = Date.now();
    this.ctx.storage.sql.exec("DELETE FROM reservations WHERE created_at < ?", now - RESERVATION_TTL_MS);
    const reserved = this.reservedTokens();
    for (const period of periodsAt(now)) {
      const limit = period.kind === "day" ? budgets.tokensPerDay : budgets.tokensPerMonth;
      if (limit === undefined) continue;
      const used = this.counter(period.key, "tokens");
      if (used + reserved + estimate > limit) return { ok: false, period: period.kind, retryAfter: period.endsInSeconds, limit, used };
    }
    const id = crypto.randomUUID();
    this.ctx.storage.sql.exec("INSERT INTO reservations (id, tokens, created_at) VALUES (?, ?, ?)", id, estimate, now);
    return { ok: true, id };
  }

  settle(id: string, tokensUsed: number): void {
    this.ctx.storage.sql.exec("DELETE FROM reservations WHERE id = ?", id);
    this.add("tokens", tokensUsed);
  }

  add(metric: UsageMetric, amount: number): void {
    if (!(amount > 0)) return;
    for (const period of periodsAt(Date.now())) {
      this.ctx.storage.sql.exec(
        "INSERT INTO counters (period, metric, value) VALUES (?, ?, ?) ON CONFLICT (period, metric) DO UPDATE SET value = value + excluded.value",
        period.key,
        metric,
        Math.round(amount),
      );
    }
  }

  report(budgets: TokenBudgets): UsageReport {
    const [day, month] = periodsAt(Date.now());
    const reserved = this.reservedTokens();
    const periodUsage = (key: string, budget: number | undefined): PeriodUsage => {
      const tokens = this.counter(key, "tokens");
      return {
        period: key,
        requests: this.counter(key, "requests"),
        tokens,
        ttsCharacters: this.counter(key, "ttsCharacters"),
        tokensReserved: reserved,
        tokenBudget: budget ?? null,
        tokensLeft: budget === undefined ? null : Math.max(0, budget - tokens - reserved),
      };
    };
    return { day: periodUsage(day.key, budgets.tokensPerDay), month: periodUsage(month.key, budgets.tokensPerMonth) };
  }

  private counter(period: string, metric: UsageMetric): number {
    return this.ctx.storage.sql.exec<{ value: number }>("SELECT value FROM counters WHERE period = ? AND metric = ?", period, metric).toArray()[0]?.value ?? 0;
  }

  private reservedTokens(): number {
    return this.ctx.storage.sql.exec<{ total: number | null }>("SELECT SUM(tokens) AS total FROM reservations").one().total ?? 0;
  }
}
