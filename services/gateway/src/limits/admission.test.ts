// Budget refusals and their Retry-After: the earliest moment a request of that size could fit.
import { describe, expect, it } from "vitest";
import { budgetRefusals, coverTokens, decisiveRefusal, tightest, type BudgetCheck } from "./admission.ts";

const now = 1_000_000;
const check = (over: Partial<BudgetCheck> = {}): BudgetCheck => ({ level: "tenant", period: "day", limit: 3000, used: 100, holds: [], periodEndsInSeconds: 50_000, ...over });

describe("budget refusals", () => {
  it("admits what fits next to the used tokens and the live reservations", () => {
    expect(budgetRefusals([check({ holds: [{ tokens: 2000, expiresAt: now + 5000 }] })], 900, now)).toEqual([]);
  });

  it("points Retry-After at the reservation whose expiry frees enough, not at the end of the day", () => {
    const holds = [100, 200, 2500].map((tokens, i) => ({ tokens, expiresAt: now + (i + 1) * 10_000 }));
    // 100 used + 2800 reserved + 500 asked = 3400: 400 over, freed once the first two (300) and the third expire.
    expect(budgetRefusals([check({ holds })], 500, now)).toEqual([{ level: "tenant", period: "day", limit: 3000, used: 100, retryAfter: 30 }]);
    // 150 over: the first two expiring (300 tokens, at +20 s) are enough.
    expect(budgetRefusals([check({ holds })], 250, now)[0]?.retryAfter).toBe(20);
  });

  it("waits for the period to end when used tokens alone leave no room, or the period ends first", () => {
    const holds = [{ tokens: 1000, expiresAt: now + 600_000 }];
    expect(budgetRefusals([check({ used: 2900, holds })], 500, now)[0]?.retryAfter).toBe(50_000);
    expect(budgetRefusals([check({ holds, periodEndsInSeconds: 30 })], 2500, now)[0]?.retryAfter).toBe(30);
  });

  it("reports the refusal that frees last, since every budget must fit at once", () => {
    const refusals = budgetRefusals(
      [check({ level: "key", limit: 500, used: 450 }), check({ level: "user", limit: 1000, holds: [{ tokens: 900, expiresAt: now + 7000 }] })],
      100,
      now,
    );
    expect(refusals.map((r) => [r.level, r.retryAfter])).toEqual([["key", 50_000], ["user", 7]]);
    expect(decisiveRefusal(refusals)?.level).toBe("key");
  });
});

describe("cover size", () => {
  it("covers several reservations of the size asked, within what every budget has left", () => {
    expect(coverTokens([], 450, 8)).toBe(3600);
    // 3000 - 100 used - 1000 reserved = 1900 left on the tenant's day; the key's budget leaves 5,000.
    const tenant = check({ holds: [{ tokens: 1000, expiresAt: now + 5000 }] });
    expect(coverTokens([tenant, check({ level: "key", limit: 10_000, used: 5000 })], 450, 8)).toBe(1900);
    expect(coverTokens([check({ used: 2600 })], 400, 8)).toBe(400);
  });
});

describe("tightest rate decision", () => {
  it("prefers a refusal, the one that frees last, else the fewest remaining", () => {
    const allowed = (remaining: number) => ({ allowed: true, limit: 60, remaining, resetSeconds: 0 });
    const refused = (resetSeconds: number) => ({ allowed: false, limit: 10, remaining: 0, resetSeconds });
    expect(tightest([{ level: "tenant", decision: allowed(9) }, { level: "user", decision: allowed(3) }]).level).toBe("user");
    expect(tightest([{ level: "tenant", decision: refused(2) }, { level: "key", decision: refused(8) }, { level: "user", decision: allowed(0) }]).level).toBe("key");
  });
});
