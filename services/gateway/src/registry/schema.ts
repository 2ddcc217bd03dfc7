// The registry's SQLite schema (inside the Registry Durable Object) and the shapes its RPC methods return.
import type { TenantConfig } from "@platform/shared";

export const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, version INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL)",
  "CREATE TABLE IF NOT EXISTS tenant_versions (tenant_id TEXT NOT NULL, version INTEGER NOT NULL, config TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL, rolled_back_from INTEGER, PRIMARY KEY (tenant_id, version))",
  "CREATE TABLE IF NOT EXISTS hosts (host TEXT PRIMARY KEY, tenant_id TEXT NOT NULL)",
  // Keys are stored as HMAC-SHA-256(pepper, key) only; `prefix` is the first characters, for people to recognise.
  "CREATE TABLE IF NOT EXISTS keys (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, name TEXT NOT NULL, prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL, expires_at INTEGER, revoked_at INTEGER, last_used_at INTEGER, limits TEXT, budgets TEXT)",
  "CREATE INDEX IF NOT EXISTS keys_by_tenant ON keys (tenant_id, created_at)",
  "CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, tenant_id TEXT, trace_id TEXT NOT NULL, target TEXT)",
  "CREATE INDEX IF NOT EXISTS audit_by_tenant ON audit (tenant_id, seq)",
];

/** The tenant id operator keys are stored under: not a valid tenant id, so no tenant can claim it. */
export const OPERATOR_TENANT = "_platform";

export interface KeyLimits {
  requestsPerMinute?: number;
  burst?: number;
}
export interface KeyBudgets {
  tokensPerDay?: number;
  tokensPerMonth?: number;
}

export interface DeployedTenant {
  id: string;
  version: number;
  disabled: boolean;
  updatedAt: string;
  config: TenantConfig;
}

export interface StoredKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  limits?: KeyLimits;
  budgets?: KeyBudgets;
}

/** What the gateway hands the registry to store a new key: never the key itself. */
export interface NewKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  expiresAt: number | null;
  limits?: KeyLimits;
  budgets?: KeyBudgets;
}

/** Who did an admin action, for the audit log: a key id and the request's trace id. */
export interface Actor {
  keyId: string;
  traceId: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  tenantId: string | null;
  traceId: string;
  target: string | null;
}

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export interface KeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  limits: string | null;
  budgets: string | null;
  [column: string]: SqlStorageValue;
}

export function toStoredKey(row: KeyRow): StoredKey {
  const key: StoredKey = {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: iso(row.created_at) as string,
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  };
  if (row.limits) key.limits = JSON.parse(row.limits) as KeyLimits;
  if (row.budgets) key.budgets = JSON.parse(row.budgets) as KeyBudgets;
  return key;
}
