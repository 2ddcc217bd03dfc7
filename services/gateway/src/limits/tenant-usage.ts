// TenantUsage Durable Object: one per tenant, the gateway's one admission round trip. A single synchronous call checks
// every rate window (each key's, with the tenant's and the key's own limits; each end user's) and every token budget
// (tenant, key, user), then records the admission and its reservation, so concurrent requests can never overspend.
// It also keeps the usage counters /v1/usage reports, and its alarm releases reservations whose request died and
// settles queued ingest charges no read has settled (job-settler.ts).
// Its writes are deferred (deferred-writes.ts), and every decision is still exact: the windows live in memory, and
// budget checks see what waits (pending.ts). A reservation of more than DEFERRED_HOLD_MAX_TOKENS waits only inside a
// cover (covers.ts), which about one admission in COVERED_RESERVATIONS writes before its answer leaves.
import { DurableObject } from "cloudflare:workers";
import { JOB_CHARGES_TABLE, nextJobCheck, pruneJobCharges, recordJobCharge, settleJobCharge, type OpenCharge } from "./job-charges.ts";
import { DeferredWrites } from "./deferred-writes.ts";
import { Pending, type StoredHold } from "./pending.ts";
import { COVERS_TABLE, Covers, coversToHolds } from "./covers.ts";
import { jobCheckDelayMs, settleDueJobs } from "./job-settler.ts";
import { budgetRefusals, coverTokens, decisiveRefusal, tightest, type AdmitInput, type AdmitResult, type BudgetCheck, type Level, type TokenBudgets } from "./admission.ts";
import { periodsAt } from "./periods.ts";
import { counter, usageReport, type UsageMetric, type UsageReport } from "./usage-report.ts";
import { MINUTE_MS, decide, prune } from "./sliding-window.ts";

export type { AdmitInput, AdmitResult, TokenBudgets } from "./admission.ts";
export type { UsageMetric, UsageReport } from "./usage-report.ts";
/** Who a reservation's tokens are also charged to, besides the tenant. */
export interface Chargees {
  keyId: string;
  userId?: string;
}

// Windows of this many scopes (keys and end users) stay in memory; past it they are reloaded from storage on use.
const MAX_CACHED_WINDOWS = 1000;
const DEFERRED_WRITE_MS = 1000;
// A reservation this small waits too: a retrieve's query embedding (1,000 characters, about 250 tokens). A crash can
// lose one in its first second, so a request in flight then may spend that much beyond the budget (docs/faults.md).
const DEFERRED_HOLD_MAX_TOKENS = 256;
// A cover holds room for this many reservations of the size of the one that needed it (within the budgets left).
const COVERED_RESERVATIONS = 8;

export class TenantUsage extends DurableObject<GatewayEnv> {
  private windows = new Map<string, number[]>();
  private alarmAt: number | null = null;
  private deferred = new DeferredWrites(DEFERRED_WRITE_MS);
  private pending = new Pending(this.deferred);
  private covers = new Covers(this.ctx.storage.sql, this.deferred);

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS counters (period TEXT NOT NULL, metric TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (period, metric));
      CREATE TABLE IF NOT EXISTS scoped_tokens (scope TEXT NOT NULL, period TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (scope, period));
      CREATE TABLE IF NOT EXISTS admissions (scope TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS admissions_by_scope ON admissions (scope, at);
      CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, tokens INTEGER NOT NULL, key_scope TEXT NOT NULL, user_scope TEXT, expires_at INTEGER NOT NULL);
      DROP TABLE IF EXISTS reservations;
    `);
    ctx.storage.sql.exec(JOB_CHARGES_TABLE);
    ctx.storage.sql.exec(COVERS_TABLE);
    // After a restart: covers become holds; drop what expired meanwhile, and make sure the next expiry has its alarm.
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
      coversToHolds(ctx.storage.sql);
      this.releaseExpired(Date.now());
    });
  }

  admit(input: AdmitInput & { ttlMs: number }): AdmitResult {
    const now = Date.now();
    const keyScope = `key:${input.keyId}`;
    const userScope = input.userId === undefined ? undefined : `user:${input.userId}`;
    const windows: { level: Level; scope: string; limits: AdmitInput["limits"]["tenant"] }[] = [{ level: "tenant", scope: keyScope, limits: input.limits.tenant }];
    if (input.limits.key) windows.push({ level: "key", scope: keyScope, limits: input.limits.key });
    if (userScope && input.limits.user) windows.push({ level: "user", scope: userScope, limits: input.limits.user });
    const rate = tightest(windows.map((w) => ({ level: w.level, decision: decide(this.window(w.scope, now), now, w.limits) })));
    if (!rate.decision.allowed) return { ok: false, refused: "rate", level: rate.level, rate: rate.decision };
    const reserves = input.estimate > 0;
    let checks: BudgetCheck[] = [];
    if (reserves) {
      this.releaseExpired(now);
      checks = this.budgetChecks(input, keyScope, userScope, now);
      const refusal = decisiveRefusal(budgetRefusals(checks, input.estimate, now));
      if (refusal) return { ok: false, refused: "budget", rate: rate.decision, ...refusal };
    }
    const scopes = [...new Set(windows.map((w) => w.scope))];
    for (const scope of scopes) this.window(scope, now).push(now);
    const record = () => {
      for (const scope of scopes) this.ctx.storage.sql.exec("INSERT INTO admissions (scope, at) VALUES (?, ?)", scope, now);
      this.count("requests", 1, now);
    };
    if (!reserves) {
      this.deferred.add(record);
      return { ok: true, rate: rate.decision };
    }
    const id = crypto.randomUUID();
    const hold = { tokens: input.estimate, keyScope, userScope: userScope ?? null, expiresAt: now + input.ttlMs };
    const recorded = hold.tokens > DEFERRED_HOLD_MAX_TOKENS && this.covers.take(hold, () => coverTokens(checks, hold.tokens, COVERED_RESERVATIONS), record);
    this.pending.hold(id, hold, () => {
      if (!recorded) record();
      this.ctx.storage.sql.exec("INSERT INTO holds (id, tokens, key_scope, user_scope, expires_at) VALUES (?, ?, ?, ?, ?)", id, hold.tokens, keyScope, hold.userScope, hold.expiresAt);
    });
    this.scheduleAlarm(hold.expiresAt);
    return { ok: true, rate: rate.decision, reservationId: id };
  }

  /**
   * Replaces a reservation with the tokens really used, charged to the tenant, the key and the end user. With `jobId`
   * (a queued ingest charged its estimate) the charge is also recorded, to be settled by settleJob when the job ends
   * (on the first read of the ended job, or by the alarm's check).
   */
  settle(id: string, tokensUsed: number, chargees: Chargees, job?: OpenCharge): void {
    const scopes = [`key:${chargees.keyId}`, ...(chargees.userId === undefined ? [] : [`user:${chargees.userId}`])];
    const now = Date.now();
    if (job === undefined) {
      const charge = { tokens: tokensUsed > 0 ? Math.round(tokensUsed) : 0, scopes, periods: periodsAt(now).map((p) => p.key) };
      this.pending.charge(id, charge, () => this.charge(id, tokensUsed, scopes, now));
      return;
    }
    // A job's charge is written at once: the job's completion may be read any moment.
    this.deferred.flush();
    const checkAt = now + jobCheckDelayMs(this.env);
    recordJobCharge(this.ctx.storage.sql, job, Math.max(0, tokensUsed), scopes, periodsAt(now), now, checkAt);
    this.scheduleAlarm(checkAt);
    this.charge(id, tokensUsed, scopes, now);
  }

  /** Settles a queued job's recorded charge to the tokens it embedded, once (job-charges.ts); null if none is recorded. */
  settleJob(jobId: string, embeddedTokens: number): number | null {
    this.deferred.flush();
    return settleJobCharge(this.ctx.storage.sql, jobId, embeddedTokens);
  }

  add(metric: UsageMetric, amount: number): void {
    this.deferred.flush();
    this.count(metric, amount, Date.now());
  }

  /** Replaces reservation `id` with `tokensUsed`, charged to the tenant and `scopes` in the periods of `now`. */
  private charge(id: string, tokensUsed: number, scopes: readonly string[], now: number): void {
    this.ctx.storage.sql.exec("DELETE FROM holds WHERE id = ?", id);
    if (!(tokensUsed > 0)) return;
    this.count("tokens", tokensUsed, now);
    for (const period of periodsAt(now)) {
      for (const scope of scopes) {
        this.ctx.storage.sql.exec(
          "INSERT INTO scoped_tokens (scope, period, value) VALUES (?, ?, ?) ON CONFLICT (scope, period) DO UPDATE SET value = value + excluded.value",
          scope,
          period.key,
          Math.round(tokensUsed),
        );
      }
    }
  }

  private count(metric: UsageMetric, amount: number, now: number): void {
    if (!(amount > 0)) return;
    for (const period of periodsAt(now)) {
      this.ctx.storage.sql.exec(
        "INSERT INTO counters (period, metric, value) VALUES (?, ?, ?) ON CONFLICT (period, metric) DO UPDATE SET value = value + excluded.value",
        period.key,
        metric,
        Math.round(amount),
      );
    }
  }

  report(budgets: TokenBudgets): UsageReport {
    this.deferred.flush();
    return usageReport(this.ctx.storage.sql, budgets, Date.now());
  }

  /**
   * Runs at the earliest reservation expiry or job check: releases what expired, settles queued ingests that ended,
   * and forgets windows and periods that are over.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.alarmAt = null;
    this.deferred.flush();
    this.releaseExpired(now);
    await settleDueJobs(this.env, this.ctx.storage.sql, now, (jobId, embedded) => this.settleJob(jobId, embedded));
    const check = nextJobCheck(this.ctx.storage.sql);
    if (check !== null) this.scheduleAlarm(Math.max(check, Date.now() + 1));
    this.ctx.storage.sql.exec("DELETE FROM admissions WHERE at <= ?", now - MINUTE_MS);
    const [day, month] = periodsAt(now);
    this.ctx.storage.sql.exec("DELETE FROM scoped_tokens WHERE period NOT IN (?, ?)", day.key, month.key);
    pruneJobCharges(this.ctx.storage.sql, now);
  }

  /** Deletes expired holds (a write only when there are some) and keeps the alarm at the next expiry. */
  private releaseExpired(now: number): void {
    const next = () => this.ctx.storage.sql.exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM holds").one().next;
    let at = next();
    if (at !== null && at <= now) {
      this.ctx.storage.sql.exec("DELETE FROM holds WHERE expires_at <= ?", now);
      at = next();
    }
    if (at !== null) this.scheduleAlarm(at);
  }

  private scheduleAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at && this.alarmAt > Date.now()) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  /** The admission times of `scope` in the last minute, oldest first (the array the caller may push to). */
  private window(scope: string, now: number): number[] {
    let times = this.windows.get(scope);
    if (!times) {
      this.deferred.flush();
      if (this.windows.size >= MAX_CACHED_WINDOWS) {
        this.windows.clear();
        this.ctx.storage.sql.exec("DELETE FROM admissions WHERE at <= ?", now - MINUTE_MS);
      }
      times = this.ctx.storage.sql.exec<{ at: number }>("SELECT at FROM admissions WHERE scope = ? AND at > ? ORDER BY at", scope, now - MINUTE_MS).toArray().map((r) => r.at);
    }
    const kept = prune(times, now);
    if (kept.length < times.length) this.deferred.add(() => this.ctx.storage.sql.exec("DELETE FROM admissions WHERE scope = ? AND at <= ?", scope, now - MINUTE_MS));
    this.windows.set(scope, kept);
    return kept;
  }

  private budgetChecks(input: AdmitInput, keyScope: string, userScope: string | undefined, now: number): BudgetCheck[] {
    const levels: [Level, TokenBudgets | undefined, string | undefined][] = [
      ["tenant", input.budgets.tenant, undefined],
      ["key", input.budgets.key, keyScope],
      ["user", userScope ? input.budgets.user : undefined, userScope],
    ];
    const checks: BudgetCheck[] = [];
    for (const [level, budgets, scope] of levels) {
      if (!budgets || (budgets.tokensPerDay === undefined && budgets.tokensPerMonth === undefined)) continue;
      const column = level === "key" ? "key_scope" : "user_scope";
      const stored = (
        scope === undefined
          ? this.ctx.storage.sql.exec<StoredHold>("SELECT id, tokens, expires_at AS expiresAt FROM holds")
          : this.ctx.storage.sql.exec<StoredHold>(`SELECT id, tokens, expires_at AS expiresAt FROM holds WHERE ${column} = ?`, scope)
      ).toArray();
      const holds = this.pending.liveHolds(stored, now, scope);
      for (const period of periodsAt(now)) {
        const limit = period.kind === "day" ? budgets.tokensPerDay : budgets.tokensPerMonth;
        if (limit === undefined) continue;
        const used = (scope === undefined ? counter(this.ctx.storage.sql, period.key, "tokens") : this.scopedTokens(scope, period.key)) + this.pending.used(period.key, scope);
        checks.push({ level, period: period.kind, limit, used, holds, periodEndsInSeconds: period.endsInSeconds });
      }
    }
    return checks;
  }

  private scopedTokens(scope: string, period: string): number {
    return this.ctx.storage.sql.exec<{ value: number }>("SELECT value FROM scoped_tokens WHERE scope = ? AND period = ?", scope, period).toArray()[0]?.value ?? 0;
  }
}
