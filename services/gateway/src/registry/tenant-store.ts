// Tenant configs in the registry's SQLite: one row per tenant (current version, disabled) and every version kept.
import { AppError, type TenantConfig } from "@platform/shared";
import { iso, type Actor, type DeployedTenant } from "./schema.ts";
import { audit } from "./audit-store.ts";

interface TenantRow {
  id: string;
  version: number;
  disabled: number;
  updated_at: number;
  config: string;
  [column: string]: SqlStorageValue;
}

const CURRENT = "SELECT t.id, t.version, t.disabled, t.updated_at, v.config FROM tenants t JOIN tenant_versions v ON v.tenant_id = t.id AND v.version = t.version";

const toDeployed = (row: TenantRow): DeployedTenant => ({
  id: row.id,
  version: row.version,
  disabled: row.disabled === 1,
  updatedAt: iso(row.updated_at) as string,
  config: JSON.parse(row.config) as TenantConfig,
});

export function getTenant(sql: SqlStorage, id: string): DeployedTenant | null {
  const row = sql.exec<TenantRow>(`${CURRENT} WHERE t.id = ?`, id).toArray()[0];
  return row ? toDeployed(row) : null;
}

export function listTenants(sql: SqlStorage): DeployedTenant[] {
  return sql.exec<TenantRow>(`${CURRENT} ORDER BY t.id`).toArray().map(toDeployed);
}

export function tenantIdByHost(sql: SqlStorage, host: string): string | null {
  return sql.exec<{ tenant_id: string }>("SELECT tenant_id FROM hosts WHERE host = ?", host).toArray()[0]?.tenant_id ?? null;
}

/** Deploys `config` as version n+1 unless it equals the current one; rollbacks name the version they restore. */
export function putTenant(sql: SqlStorage, config: TenantConfig, actor: Actor, rolledBackFrom?: number): { id: string; version: number; unchanged: boolean } {
  const current = getTenant(sql, config.id);
  const text = JSON.stringify(config);
  if (current && JSON.stringify(current.config) === text) return { id: config.id, version: current.version, unchanged: true };
  for (const host of config.hosts) {
    const owner = tenantIdByHost(sql, host);
    if (owner && owner !== config.id) throw new AppError("conflict", `host ${host} belongs to another tenant`);
  }
  const now = Date.now();
  const version = (current?.version ?? 0) + 1;
  sql.exec(
    "INSERT INTO tenant_versions (tenant_id, version, config, created_at, created_by, rolled_back_from) VALUES (?, ?, ?, ?, ?, ?)",
    config.id, version, text, now, actor.keyId, rolledBackFrom ?? null,
  );
  if (current) sql.exec("UPDATE tenants SET version = ?, updated_at = ? WHERE id = ?", version, now, config.id);
  else sql.exec("INSERT INTO tenants (id, version, disabled, updated_at) VALUES (?, ?, 0, ?)", config.id, version, now);
  sql.exec("DELETE FROM hosts WHERE tenant_id = ?", config.id);
  for (const host of config.hosts) sql.exec("INSERT INTO hosts (host, tenant_id) VALUES (?, ?)", host, config.id);
  audit(sql, actor, rolledBackFrom === undefined ? "tenant.deploy" : "tenant.rollback", config.id, `version ${version}`);
  return { id: config.id, version, unchanged: false };
}

export function listVersions(sql: SqlStorage, id: string) {
  const current = getTenant(sql, id);
  if (!current) throw new AppError("unknown_tenant", `no deployed tenant ${id}`);
  return sql
    .exec<{ version: number; created_at: number; created_by: string; rolled_back_from: number | null }>(
      "SELECT version, created_at, created_by, rolled_back_from FROM tenant_versions WHERE tenant_id = ? ORDER BY version DESC", id)
    .toArray()
    .map((row) => ({
      version: row.version,
      createdAt: iso(row.created_at),
      createdBy: row.created_by,
      current: row.version === current.version,
      ...(row.rolled_back_from === null ? {} : { rolledBackFrom: row.rolled_back_from }),
    }));
}

export function getVersion(sql: SqlStorage, id: string, version: number) {
  const row = sql.exec<{ config: string; created_at: number }>("SELECT config, created_at FROM tenant_versions WHERE tenant_id = ? AND version = ?", id, version).toArray()[0];
  if (!row) throw new AppError("not_found", `tenant ${id} has no version ${version}`);
  return { version, createdAt: iso(row.created_at), config: JSON.parse(row.config) as TenantConfig };
}

/** Writes a new version whose config is version `to`'s (default: the one before the current). */
export function rollback(sql: SqlStorage, id: string, to: number | undefined, actor: Actor) {
  const current = getTenant(sql, id);
  if (!current) throw new AppError("unknown_tenant", `no deployed tenant ${id}`);
  const target = to ?? current.version - 1;
  if (target < 1 || target === current.version) throw new AppError("invalid_request", `nothing to roll back to: choose a version other than the current ${current.version}`);
  const { config } = getVersion(sql, id, target);
  const result = putTenant(sql, config, actor, target);
  // Same config as the current one: still record the rollback as a version, so the history says what happened.
  if (result.unchanged) return { id, version: current.version, rolledBackFrom: target };
  return { id, version: result.version, rolledBackFrom: target };
}

export function setDisabled(sql: SqlStorage, id: string, disabled: boolean, actor: Actor) {
  if (!getTenant(sql, id)) throw new AppError("unknown_tenant", `no deployed tenant ${id}`);
  sql.exec("UPDATE tenants SET disabled = ?, updated_at = ? WHERE id = ?", disabled ? 1 : 0, Date.now(), id);
  audit(sql, actor, disabled ? "tenant.disable" : "tenant.enable", id, null);
  return { id, disabled };
}
