// Covers on a real SQLite (node:sqlite standing in for the Durable Object's storage): one cover written for several
// reservations, deleted by the flush that writes them, and counted whole after a crash.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite, sqlStorageOverSqlite, type SqliteDatabase } from "@platform/shared/sqlite-testing";
import { COVERS_TABLE, Covers, coversToHolds } from "./covers.ts";
import { DeferredWrites } from "./deferred-writes.ts";

const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
const TTL_MS = 120_000;
let db: SqliteDatabase;
let deferred: DeferredWrites;
let covers: Covers;
let recorded: number;

beforeEach(async () => {
  db = await openSqlite();
  const sql = sqlStorageOverSqlite(db);
  sql.exec(`CREATE TABLE holds (id TEXT PRIMARY KEY, tokens INTEGER NOT NULL, key_scope TEXT NOT NULL, user_scope TEXT, expires_at INTEGER NOT NULL); ${COVERS_TABLE};`);
  deferred = new DeferredWrites(60_000);
  covers = new Covers(sql, deferred);
  recorded = 0;
});
afterEach(() => deferred.flush());

const rows = (table: string) => db.prepare(`SELECT tokens, key_scope AS keyScope, user_scope AS userScope, expires_at AS expiresAt FROM ${table} ORDER BY rowid`).all();

/** What TenantUsage.admit does with a reservation: take it from a cover (sized `size`), and defer its own write. */
function reserve(tokens: number, { user = null as string | null, size = 8 * tokens, at = NOW } = {}) {
  const hold = { tokens, keyScope: "key:k1", userScope: user, expiresAt: at + TTL_MS };
  const wrote = covers.take(hold, () => size, () => recorded++);
  deferred.add(() => db.prepare("INSERT INTO holds (id, tokens, key_scope, user_scope, expires_at) VALUES (?, ?, ?, ?, ?)").all(crypto.randomUUID(), hold.tokens, hold.keyScope, hold.userScope, hold.expiresAt));
  return { wrote, hold };
}

describe("covers", () => {
  it("writes one cover for as many reservations as fit in it; the next one flushes them and writes a new cover", () => {
    expect(reserve(450).wrote).toBe(true);
    expect(rows("covers")).toEqual([{ tokens: 3600, keyScope: "key:k1", userScope: null, expiresAt: NOW + TTL_MS }]);
    for (let i = 1; i < 8; i++) expect(reserve(450, { at: NOW + i }).wrote).toBe(false);
    expect(recorded).toBe(1);
    expect(rows("holds")).toEqual([]);
    expect(rows("covers")).toHaveLength(1);

    expect(reserve(450, { at: NOW + 8 }).wrote).toBe(true);
    expect(recorded).toBe(2);
    // The eight reservations of the first cover, which expire with it; the first cover is gone, the new one stands.
    expect(rows("holds")).toEqual(Array.from({ length: 8 }, () => ({ tokens: 450, keyScope: "key:k1", userScope: null, expiresAt: NOW + TTL_MS })));
    expect(rows("covers")).toEqual([{ tokens: 3600, keyScope: "key:k1", userScope: null, expiresAt: NOW + 8 + TTL_MS }]);
    deferred.flush();
    expect(rows("covers")).toEqual([]);
    expect(rows("holds")).toHaveLength(9);
  });

  it("after a crash, counts a standing cover as one reservation of its whole size", () => {
    reserve(450, { size: 2000 });
    reserve(450, { at: NOW + 10 });
    reserve(450, { at: NOW + 20 });
    // The memory is lost (nothing flushed); the restart turns the cover into a hold covering the three reservations.
    const restarted = sqlStorageOverSqlite(db);
    coversToHolds(restarted);
    expect(rows("covers")).toEqual([]);
    expect(rows("holds")).toEqual([{ tokens: 2000, keyScope: "key:k1", userScope: null, expiresAt: NOW + TTL_MS }]);
  });

  it("keeps a cover per end user, and gives a reservation that fits no more, or would expire much sooner, a cover of its own", () => {
    expect(reserve(300, { user: "user:a" }).wrote).toBe(true);
    expect(reserve(300, { user: "user:b" }).wrote).toBe(true);
    expect(reserve(300, { user: "user:b", size: 0 }).wrote).toBe(false);
    // 600 of user b's 2,400 taken; 2,000 more do not fit.
    expect(reserve(2000, { user: "user:b" }).wrote).toBe(true);
    // A lifetime a minute longer than the cover's (the tenant's tools setting grew): not cut short, a new cover.
    const later = reserve(300, { user: "user:b", at: NOW + 60_000 });
    expect(later.wrote).toBe(true);
    expect(later.hold.expiresAt).toBe(NOW + 60_000 + TTL_MS);
    // Within a few seconds of the cover's, a reservation takes from it and expires with it.
    const soon = reserve(300, { user: "user:b", at: NOW + 62_000 });
    expect(soon.wrote).toBe(false);
    expect(soon.hold.expiresAt).toBe(NOW + 60_000 + TTL_MS);
  });
});
