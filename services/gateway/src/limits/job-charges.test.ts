// Settling queued ingest charges on a real SQLite (Node's node:sqlite standing in for the Durable Object's storage):
// the correction lands on the tenant, key and user counters of the periods charged, once per job, never below zero.
import { beforeEach, describe, expect, it } from "vitest";
import { openSqlite, sqlStorageOverSqlite, type SqliteDatabase } from "@platform/shared/sqlite-testing";
import { dueJobChecks, JOB_CHARGE_RETENTION_MS, JOB_CHARGES_TABLE, nextJobCheck, postponeJobCheck, pruneJobCharges, recordJobCharge, settleJobCharge } from "./job-charges.ts";
import { periodsAt } from "./periods.ts";

const NOW = Date.UTC(2026, 10, 30, 13, 0, 0);
const [DAY, MONTH] = periodsAt(NOW);
let db: SqliteDatabase;
let sql: SqlStorage;

const counter = (period: string) => (db.prepare("SELECT value FROM counters WHERE period = ? AND metric = 'tokens'").all(period)[0]?.value as number | undefined) ?? null;
const scoped = (scope: string, period: string) => (db.prepare("SELECT value FROM scoped_tokens WHERE scope = ? AND period = ?").all(scope, period)[0]?.value as number | undefined) ?? null;

/** What TenantUsage.settle does for a queued job: charge the estimate everywhere, and record the charge. */
function charge(jobId: string, tokens: number, scopes: string[]) {
  for (const period of [DAY!, MONTH!]) {
    db.prepare("INSERT INTO counters (period, metric, value) VALUES (?, 'tokens', ?) ON CONFLICT (period, metric) DO UPDATE SET value = value + excluded.value").all(period.key, tokens);
    for (const scope of scopes) {
      db.prepare("INSERT INTO scoped_tokens (scope, period, value) VALUES (?, ?, ?) ON CONFLICT (scope, period) DO UPDATE SET value = value + excluded.value").all(scope, period.key, tokens);
    }
  }
  recordJobCharge(sql, { jobId, tenantId: "t1" }, tokens, scopes, [DAY!, MONTH!], NOW, NOW + 60_000);
}

beforeEach(async () => {
  db = await openSqlite();
  db.exec(`
    CREATE TABLE counters (period TEXT NOT NULL, metric TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (period, metric));
    CREATE TABLE scoped_tokens (scope TEXT NOT NULL, period TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (scope, period));
  `);
  db.exec(JOB_CHARGES_TABLE);
  sql = sqlStorageOverSqlite(db);
});

describe("queued ingest charges", () => {
  it("settles an estimate down to the embedded tokens for the tenant, the key and the end user, in each period", () => {
    charge("job_a", 1000, ["key:k1", "user:u1"]);
    charge("job_b", 300, ["key:k1"]);
    expect(settleJobCharge(sql, "job_a", 420)).toBe(420);
    for (const period of [DAY!.key, MONTH!.key]) {
      expect(counter(period)).toBe(720);
      expect(scoped("key:k1", period)).toBe(720);
      expect(scoped("user:u1", period)).toBe(420);
    }
  });

  it("settles once: a retried or concurrent settle answers the settled amount and changes nothing", () => {
    charge("job_a", 1000, ["key:k1"]);
    expect(settleJobCharge(sql, "job_a", 0)).toBe(0);
    expect(settleJobCharge(sql, "job_a", 0)).toBe(0);
    expect(settleJobCharge(sql, "job_a", 999)).toBe(0);
    expect(counter(DAY!.key)).toBe(0);
    expect(scoped("key:k1", DAY!.key)).toBe(0);
  });

  it("charges more when a job embedded more than its estimate", () => {
    charge("job_a", 100, ["key:k1"]);
    expect(settleJobCharge(sql, "job_a", 130)).toBe(130);
    expect(counter(DAY!.key)).toBe(130);
    expect(scoped("key:k1", MONTH!.key)).toBe(130);
  });

  it("answers null for a job without a recorded charge, and never takes a counter below zero", () => {
    expect(settleJobCharge(sql, "job_unknown", 10)).toBeNull();
    charge("job_a", 500, ["key:k1"]);
    db.prepare("UPDATE counters SET value = 100").all();
    db.prepare("DELETE FROM scoped_tokens").all();
    expect(settleJobCharge(sql, "job_a", 0)).toBe(0);
    expect(counter(DAY!.key)).toBe(0);
    expect(scoped("key:k1", DAY!.key)).toBe(0);
  });

  it("forgets charges older than the jobs are kept", () => {
    charge("job_a", 500, ["key:k1"]);
    pruneJobCharges(sql, NOW + JOB_CHARGE_RETENTION_MS - 1);
    charge("job_b", 500, ["key:k1"]);
    pruneJobCharges(sql, NOW + JOB_CHARGE_RETENTION_MS + 1);
    expect(settleJobCharge(sql, "job_a", 0)).toBeNull();
    expect(settleJobCharge(sql, "job_b", 0)).toBeNull();
  });

  it("lists the open charges whose check is due, and none once settled or given up", () => {
    charge("job_a", 500, ["key:k1"]);
    charge("job_b", 500, ["key:k1"]);
    expect(nextJobCheck(sql)).toBe(NOW + 60_000);
    expect(dueJobChecks(sql, NOW + 59_999, 10)).toEqual([]);
    expect(dueJobChecks(sql, NOW + 60_000, 10)).toEqual([
      { jobId: "job_a", tenantId: "t1", chargedAt: NOW },
      { jobId: "job_b", tenantId: "t1", chargedAt: NOW },
    ]);
    postponeJobCheck(sql, "job_a", NOW + 120_000);
    settleJobCharge(sql, "job_b", 100);
    expect(dueJobChecks(sql, NOW + 60_000, 10)).toEqual([]);
    expect(nextJobCheck(sql)).toBe(NOW + 120_000);
    postponeJobCheck(sql, "job_a", null);
    expect(nextJobCheck(sql)).toBeNull();
  });
});
