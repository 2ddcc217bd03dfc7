// What TenantUsage has decided but not yet written (deferred-writes.ts): reservations and settlements. Budget
// checks read the stored holds and tokens through it, so they stay exact without writing what waits first.
import type { DeferredWrites } from "./deferred-writes.ts";

export interface PendingHold {
  tokens: number;
  keyScope: string;
  userScope: string | null;
  expiresAt: number;
}

export interface PendingCharge {
  tokens: number;
  scopes: readonly string[];
  periods: readonly string[];
}

/** A hold as TenantUsage stores it. */
export type StoredHold = { id: string; tokens: number; expiresAt: number };

export class Pending {
  private readonly holds = new Map<string, PendingHold>();
  private readonly charges = new Map<string, PendingCharge>();
  private readonly deferred: DeferredWrites;

  constructor(deferred: DeferredWrites) {
    this.deferred = deferred;
  }

  /** Defers `write`, which stores hold `id`; until it runs, budget checks count the hold from here. */
  hold(id: string, hold: PendingHold, write: () => void): void {
    this.defer(this.holds, id, hold, write);
  }

  /** Defers `write`, which settles reservation `id`; until it runs, budget checks count the charge from here. */
  charge(id: string, charge: PendingCharge, write: () => void): void {
    this.defer(this.charges, id, charge, write);
  }

  private defer<T>(map: Map<string, T>, id: string, value: T, write: () => void): void {
    map.set(id, value);
    this.deferred.add(() => {
      write();
      map.delete(id);
    });
  }

  /**
   * The live holds of the tenant (no scope) or of one key or end user, as they will stand once what waits is written:
   * stored ones not yet settled, plus the pending ones; soonest expiry first.
   */
  liveHolds(stored: readonly StoredHold[], now: number, scope?: string): { tokens: number; expiresAt: number }[] {
    const pending = [...this.holds].filter(([, h]) => scope === undefined || h.keyScope === scope || h.userScope === scope).map(([id, h]) => ({ id, ...h }));
    return [...stored, ...pending]
      .filter((h) => !this.charges.has(h.id) && h.expiresAt > now)
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .map(({ tokens, expiresAt }) => ({ tokens, expiresAt }));
  }

  /** The tokens pending settlements add to `period`, the tenant's or one scope's. */
  used(period: string, scope?: string): number {
    let sum = 0;
    for (const c of this.charges.values()) if (c.periods.includes(period) && (scope === undefined || c.scopes.includes(scope))) sum += c.tokens;
    return sum;
  }
}
