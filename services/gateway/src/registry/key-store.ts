// API keys in the registry's SQLite: HMAC digests only, with name, scopes, expiry, revocation and optional limits.
import { AppError } from "@platform/shared";
import { audit } from "./audit-store.ts";
import { toStoredKey, type Actor, type KeyRow, type NewKey, type StoredKey } from "./schema.ts";

const COLUMNS = "id, tenant_id, name, prefix, hash, scopes, created_at, expires_at, revoked_at, last_used_at, limits, budgets";

/** The key whose HMAC digest is `hash`, revoked and expired ones included (the caller decides). */
export function keyByHash(sql: SqlStorage, hash: string): (StoredKey & { hash: string }) | null {
  const row = sql.exec<KeyRow>(`SELECT ${COLUMNS} FROM keys WHERE hash = ?`, hash).toArray()[0];
  return row ? { ...toStoredKey(row), hash: row.hash } : null;
}

export function listKeys(sql: SqlStorage, tenantId: string): StoredKey[] {
  return sql.exec<KeyRow>(`SELECT ${COLUMNS} FROM keys WHERE tenant_id = ? ORDER BY created_at DESC, id`, tenantId).toArray().map(toStoredKey);
}

function ownKey(sql: SqlStorage, tenantId: string, keyId: string): KeyRow {
  const row = sql.exec<KeyRow>(`SELECT ${COLUMNS} FROM keys WHERE id = ? AND tenant_id = ?`, keyId, tenantId).toArray()[0];
  // Another tenant's key id answers exactly like an unknown one.
  if (!row) throw new AppError("not_found", "key not found");
  return row;
}

export function createKey(sql: SqlStorage, key: NewKey, actor: Actor, action = "key.create"): StoredKey {
  const now = Date.now();
  sql.exec(
    `INSERT INTO keys (id, tenant_id, name, prefix, hash, scopes, created_at, created_by, expires_at, limits, budgets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    key.id, key.tenantId, key.name, key.prefix, key.hash, JSON.stringify(key.scopes), now, actor.keyId, key.expiresAt,
    key.limits ? JSON.stringify(key.limits) : null, key.budgets ? JSON.stringify(key.budgets) : null,
  );
  audit(sql, actor, action, key.tenantId, key.id);
  return listKeys(sql, key.tenantId).find((k) => k.id === key.id) as StoredKey;
}

export function revokeKey(sql: SqlStorage, tenantId: string, keyId: string, actor: Actor): { id: string; revokedAt: string; hash: string } {
  const row = ownKey(sql, tenantId, keyId);
  const at = row.revoked_at ?? Date.now();
  if (row.revoked_at === null) {
    sql.exec("UPDATE keys SET revoked_at = ? WHERE id = ?", at, keyId);
    audit(sql, actor, "key.revoke", tenantId, keyId);
  }
  return { id: keyId, revokedAt: new Date(at).toISOString(), hash: row.hash };
}

/** A new key like the old one (name, scopes, limits, budgets); the old one now expires after `overlapMs`. */
export function rotateKey(sql: SqlStorage, tenantId: string, keyId: string, fresh: Omit<NewKey, "name" | "scopes" | "tenantId">, overlapMs: number, actor: Actor) {
  const old = ownKey(sql, tenantId, keyId);
  if (old.revoked_at !== null) throw new AppError("conflict", "a revoked key cannot be rotated");
  const now = Date.now();
  if (old.expires_at !== null && old.expires_at <= now) throw new AppError("conflict", "an expired key cannot be rotated");
  const oldExpires = Math.min(old.expires_at ?? Number.MAX_SAFE_INTEGER, now + overlapMs);
  sql.exec("UPDATE keys SET expires_at = ? WHERE id = ?", oldExpires, keyId);
  const stored = toStoredKey(old);
  const created = createKey(sql, {
    ...fresh, tenantId, name: old.name, scopes: stored.scopes, limits: stored.limits, budgets: stored.budgets,
  }, actor, "key.rotate");
  return { key: created, previous: { id: keyId, expiresAt: new Date(oldExpires).toISOString() }, previousHash: old.hash };
}

export function touchKey(sql: SqlStorage, keyId: string, at: number): void {
  sql.exec("UPDATE keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)", at, keyId, at);
}

export function countLiveKeys(sql: SqlStorage, tenantId: string): number {
  const now = Date.now();
  return sql.exec<{ n: number }>("SELECT count(*) AS n FROM keys WHERE tenant_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", tenantId, now).one().n;
}
