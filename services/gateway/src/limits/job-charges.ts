// Charges of queued ingest jobs, kept in the TenantUsage Durable Object: a queued job is charged its estimate when it
// is accepted (the embedding happens later, out of the gateway's sight), and settled once to the tokens it really
// embedded when it ends. Each open charge remembers whom (key, end user) and which periods it was charged to, so the
// correction lands where the estimate did, whoever reads the job and whenever; and when its next check is due, so a
// job nobody reads is settled too (job-settler.ts, from TenantUsage's alarm).
import type { Period } from "./periods.ts";

/** Open charges are forgotten after this long: a job is kept 7 days (services/ingest/src/jobs.ts), plus a day. */
export const JOB_CHARGE_RETENTION_MS = 8 * 24 * 60 * 60 * 1000;

export const JOB_CHARGES_TABLE = `CREATE TABLE IF NOT EXISTS job_charges (
  job_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, tokens INTEGER NOT NULL, scopes TEXT NOT NULL, periods TEXT NOT NULL,
  charged_at INTEGER NOT NULL, settled INTEGER, check_at INTEGER
)`;

type ChargeRow = {
  tokens: number;
  scopes: string;
  periods: string;
  settled: number | null;
};

export interface OpenCharge {
  jobId: string;
  tenantId: string;
}

/**
 * Records that `jobId` was charged `tokens` to the tenant and to `scopes` in `periods` (in the charge's transaction),
 * with its first check due at `checkAt`.
 */
export function recordJobCharge(sql: SqlStorage, job: OpenCharge, tokens: number, scopes: readonly string[], periods: readonly Period[], now: number, checkAt: number): void {
  sql.exec(
    "INSERT OR IGNORE INTO job_charges (job_id, tenant_id, tokens, scopes, periods, charged_at, check_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    job.jobId,
    job.tenantId,
    Math.round(tokens),
    JSON.stringify(scopes),
    JSON.stringify(periods.map((p) => p.key)),
    now,
    checkAt,
  );
}

/**
 * Settles `jobId`'s charge to `embedded` tokens: adds the difference (usually negative) to the tenant's counters and
 * to each scope's, in the periods the estimate was charged to. Exactly once per job: a later call changes nothing and
 * answers the settled amount. Null when the job has no recorded charge (not charged here, or forgotten).
 */
export function settleJobCharge(sql: SqlStorage, jobId: string, embedded: number): number | null {
  const row = sql.exec<ChargeRow>("SELECT tokens, scopes, periods, settled FROM job_charges WHERE job_id = ?", jobId).toArray()[0];
  if (!row) return null;
  if (row.settled !== null) return row.settled;
  const tokens = Math.max(0, Math.round(embedded));
  const delta = tokens - row.tokens;
  if (delta !== 0) {
    for (const period of JSON.parse(row.periods) as string[]) {
      // A counter never goes below zero, even for a period already pruned (its row is then re-created at zero).
      sql.exec(
        "INSERT INTO counters (period, metric, value) VALUES (?1, 'tokens', MAX(0, ?2)) ON CONFLICT (period, metric) DO UPDATE SET value = MAX(0, value + ?2)",
        period,
        delta,
      );
      for (const scope of JSON.parse(row.scopes) as string[]) {
        sql.exec(
          "INSERT INTO scoped_tokens (scope, period, value) VALUES (?1, ?2, MAX(0, ?3)) ON CONFLICT (scope, period) DO UPDATE SET value = MAX(0, value + ?3)",
          scope,
          period,
          delta,
        );
      }
    }
  }
  sql.exec("UPDATE job_charges SET settled = ?, check_at = NULL WHERE job_id = ?", tokens, jobId);
  return tokens;
}

export interface DueCheck extends OpenCharge {
  chargedAt: number;
}

/** Open charges whose check is due at `now`, oldest first, at most `limit`. */
export function dueJobChecks(sql: SqlStorage, now: number, limit: number): DueCheck[] {
  return sql
    .exec<{ job_id: string; tenant_id: string; charged_at: number }>("SELECT job_id, tenant_id, charged_at FROM job_charges WHERE check_at <= ? ORDER BY check_at LIMIT ?", now, limit)
    .toArray()
    .map((r) => ({ jobId: r.job_id, tenantId: r.tenant_id, chargedAt: r.charged_at }));
}

/** Moves `jobId`'s next check to `at` (null: never again, e.g. the job or its tenant is gone). */
export function postponeJobCheck(sql: SqlStorage, jobId: string, at: number | null): void {
  sql.exec("UPDATE job_charges SET check_at = ? WHERE job_id = ?", at, jobId);
}

/** When the earliest open charge is next checked, if any. */
export function nextJobCheck(sql: SqlStorage): number | null {
  return sql.exec<{ next: number | null }>("SELECT MIN(check_at) AS next FROM job_charges").one().next;
}

export function pruneJobCharges(sql: SqlStorage, now: number): void {
  sql.exec("DELETE FROM job_charges WHERE charged_at < ?", now - JOB_CHARGE_RETENTION_MS);
}
