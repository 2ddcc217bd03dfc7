// Covers: how TenantUsage defers a large reservation's write without a crash losing it. A cover is a block of tokens
// for one key and end user, written before the admission's answer leaves; the reservations it covers wait in memory
// with the other deferred writes, and the flush that writes them deletes the cover. After a crash, a cover left
// standing becomes one reservation of its whole size (docs/faults.md).
import type { DeferredWrites } from "./deferred-writes.ts";
import type { PendingHold } from "./pending.ts";

export const COVERS_TABLE = "CREATE TABLE IF NOT EXISTS covers (id TEXT PRIMARY KEY, tokens INTEGER NOT NULL, key_scope TEXT NOT NULL, user_scope TEXT, expires_at INTEGER NOT NULL)";

// A reservation taken from a cover expires with it: at most this much sooner than its own lifetime (the flush that
// ends a cover comes within a second; reservation-ttl.ts keeps a minute of margin). A reservation that would lose
// more (its tenant's lifetime grew meanwhile) gets a new cover.
const MAX_CUT_MS = 5_000;

/** After a restart: the covers a crash left standing hold for the reservations they covered, lost with the memory. */
export function coversToHolds(sql: SqlStorage): void {
  sql.exec("INSERT INTO holds SELECT id, tokens, key_scope, user_scope, expires_at FROM covers; DELETE FROM covers");
}

/** A cover's tokens not yet handed out, and when it expires (its reservations expire no later). */
interface Cover {
  id: string;
  left: number;
  expiresAt: number;
}

export class Covers {
  // By key and end user: the cover written since the last flush, if any.
  private readonly open = new Map<string, Cover>();
  private readonly sql: SqlStorage;
  private readonly deferred: DeferredWrites;

  constructor(sql: SqlStorage, deferred: DeferredWrites) {
    this.sql = sql;
    this.deferred = deferred;
  }

  /**
   * Takes `hold` out of its key and end user's cover (shortening its lifetime to the cover's), or flushes what waits,
   * runs `record` (the admission's own writes) and writes a new cover of `size()` tokens, `hold` included; true then.
   */
  take(hold: PendingHold, size: () => number, record: () => void): boolean {
    const key = `${hold.keyScope} ${hold.userScope ?? ""}`;
    const current = this.open.get(key);
    if (current && current.left >= hold.tokens && hold.expiresAt - current.expiresAt <= MAX_CUT_MS) {
      current.left -= hold.tokens;
      hold.expiresAt = Math.min(hold.expiresAt, current.expiresAt);
      return false;
    }
    this.deferred.flush();
    record();
    const tokens = size();
    const cover = { id: `cover:${crypto.randomUUID()}`, left: tokens - hold.tokens, expiresAt: hold.expiresAt };
    this.sql.exec("INSERT INTO covers (id, tokens, key_scope, user_scope, expires_at) VALUES (?, ?, ?, ?, ?)", cover.id, tokens, hold.keyScope, hold.userScope, cover.expiresAt);
    this.open.set(key, cover);
    this.deferred.add(() => {
      this.sql.exec("DELETE FROM covers WHERE id = ?", cover.id);
      if (this.open.get(key) === cover) this.open.delete(key);
    });
    return true;
  }
}
