// Admission arithmetic, pure so the Durable Object stays a thin shell: which rate windows and budgets apply to a
// request (tenant, API key, end user), whether a reservation fits, and when a refused one could fit at the earliest.
import type { RateDecision, RateLimits } from "./sliding-window.ts";

export type Level = "tenant" | "key" | "user";
export type PeriodKind = "day" | "month";

export interface TokenBudgets {
  tokensPerDay?: number;
  tokensPerMonth?: number;
}

export interface AdmitInput {
  keyId: string;
  userId?: string;
  /** The tenant's limits hold for each of its keys (one window per key); a key's own and the per-user ones on top. */
  limits: { tenant: RateLimits; key?: RateLimits; user?: RateLimits };
  budgets: { tenant: TokenBudgets; key?: TokenBudgets; user?: TokenBudgets };
  /** Worst-case tokens to reserve; 0 admits without a reservation and without checking budgets. */
  estimate: number;
}

export interface BudgetRefusal {
  level: Level;
  period: PeriodKind;
  limit: number;
  used: number;
  retryAfter: number;
}

export type AdmitResult =
  | { ok: true; rate: RateDecision; reservationId?: string }
  | { ok: false; refused: "rate"; level: Level; rate: RateDecision }
  | ({ ok: false; refused: "budget"; rate: RateDecision } & BudgetRefusal);

/** One budget to check: a level's limit for a period, what it has used and what its live reservations hold. */
export interface BudgetCheck {
  level: Level;
  period: PeriodKind;
  limit: number;
  used: number;
  /** Live reservations counting against this budget, soonest expiry first. */
  holds: readonly { tokens: number; expiresAt: number }[];
  periodEndsInSeconds: number;
}

/**
 * The refusals among `checks` for a reservation of `estimate` tokens at `now` (empty: it fits). Each refusal's
 * Retry-After is the earliest moment the request could fit that budget: when enough reservations expire, or when the
 * period ends, whichever is sooner. Callers answer with the latest of them (every budget must fit at once).
 */
export function budgetRefusals(checks: readonly BudgetCheck[], estimate: number, now: number): BudgetRefusal[] {
  const refusals: BudgetRefusal[] = [];
  for (const check of checks) {
    const over = check.used + reservedTokens(check) + estimate - check.limit;
    if (over <= 0) continue;
    let retryAfter = check.periodEndsInSeconds;
    // Expiring reservations only help when the request fits next to what is already used.
    if (check.used + estimate <= check.limit) {
      let freed = 0;
      for (const hold of check.holds) {
        freed += hold.tokens;
        if (freed >= over) {
          retryAfter = Math.min(retryAfter, Math.max(1, Math.ceil((hold.expiresAt - now) / 1000)));
          break;
        }
      }
    }
    refusals.push({ level: check.level, period: check.period, limit: check.limit, used: check.used, retryAfter });
  }
  return refusals;
}

/**
 * The tokens a cover reserves (covers.ts) when a reservation of `estimate` needs one: room for `reservations`
 * such reservations, but no more than any budget in `checks` has left (so a crash, which counts the whole cover until
 * it expires, never holds more than the budgets had free). At least `estimate`, which the caller found fits.
 */
export function coverTokens(checks: readonly BudgetCheck[], estimate: number, reservations: number): number {
  let tokens = estimate * reservations;
  for (const check of checks) tokens = Math.min(tokens, check.limit - check.used - reservedTokens(check));
  return Math.max(estimate, tokens);
}

const reservedTokens = (check: BudgetCheck) => check.holds.reduce((sum, h) => sum + h.tokens, 0);

/** The refusal to report: the one that frees last (all must fit), and its Retry-After. */
export function decisiveRefusal(refusals: readonly BudgetRefusal[]): BudgetRefusal | undefined {
  let worst: BudgetRefusal | undefined;
  for (const refusal of refusals) if (!worst || refusal.retryAfter > worst.retryAfter) worst = refusal;
  return worst;
}

/** Combines the decisions of the windows that apply into the one the RateLimit headers announce: the tightest. */
export function tightest(decisions: readonly { level: Level; decision: RateDecision }[]): { level: Level; decision: RateDecision } {
  let pick = decisions[0] as { level: Level; decision: RateDecision };
  for (const entry of decisions) {
    // A refusal wins over an admission, and the refusal that frees last over the others.
    const worse = !entry.decision.allowed && (pick.decision.allowed || entry.decision.resetSeconds > pick.decision.resetSeconds);
    const fewer = entry.decision.allowed && pick.decision.allowed && entry.decision.remaining < pick.decision.remaining;
    if (worse || fewer) pick = entry;
  }
  return pick;
}
