// What GET /v1/usage reports, read from TenantUsage's tables: requests, tokens (used, reserved, budget, left) and TTS
// characters for today and this month (UTC).
import type { TokenBudgets } from "./admission.ts";
import { periodsAt } from "./periods.ts";

export type UsageMetric = "requests" | "tokens" | "ttsCharacters";

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

export function counter(sql: SqlStorage, period: string, metric: UsageMetric): number {
  return sql.exec<{ value: number }>("SELECT value FROM counters WHERE period = ? AND metric = ?", period, metric).toArray()[0]?.value ?? 0;
}

export function usageReport(sql: SqlStorage, budgets: TokenBudgets, now: number): UsageReport {
  const [day, month] = periodsAt(now);
  // Only live reservations: an expired one holds nothing, even before the alarm deletes it.
  const reserved = sql.exec<{ total: number | null }>("SELECT SUM(tokens) AS total FROM holds WHERE expires_at > ?", now).one().total ?? 0;
  const periodUsage = (key: string, budget: number | undefined): PeriodUsage => {
    const tokens = counter(sql, key, "tokens");
    return {
      period: key,
      requests: counter(sql, key, "requests"),
      tokens,
      ttsCharacters: counter(sql, key, "ttsCharacters"),
      tokensReserved: reserved,
      tokenBudget: budget ?? null,
      tokensLeft: budget === undefined ? null : Math.max(0, budget - tokens - reserved),
    };
  };
  return { day: periodUsage(day.key, budgets.tokensPerDay), month: periodUsage(month.key, budgets.tokensPerMonth) };
}
