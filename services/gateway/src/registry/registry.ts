// Registry Durable Object: the one strongly consistent store of deployed tenant configs (versioned), API keys
// (HMAC digests) and the admin audit log. A single named instance ("registry") serialises every write, and each
// method runs its SQL synchronously, so a deploy, a key change and its audit line commit together. Why a Durable
// Object rather than D1: the gateway owns it with no database to provision per environment, no migration step in
// the dev mesh, and reads that always see the latest write; the load is small (the gateway caches reads, ≤ 5 s).
import { DurableObject } from "cloudflare:workers";
import { AppError, type TenantConfig } from "@platform/shared";
import { readAudit } from "./audit-store.ts";
import { countLiveKeys, createKey, keyByHash, listKeys, revokeKey, rotateKey, touchKey } from "./key-store.ts";
import { OPERATOR_TENANT, SCHEMA, type Actor, type NewKey } from "./schema.ts";
import { getTenant, getVersion, listTenants, listVersions, putTenant, rollback, setDisabled, tenantIdByHost } from "./tenant-store.ts";

export class Registry extends DurableObject<GatewayEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: GatewayEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  private atomic<T>(work: () => T): T {
    return this.ctx.storage.transactionSync(work);
  }

  getTenant(id: string) {
    return getTenant(this.sql, id);
  }

  tenantIdByHost(host: string) {
    return tenantIdByHost(this.sql, host);
  }

  /** A key by its digest together with its tenant's deployed config (null for operator keys and undeployed tenants). */
  lookupKey(digest: string) {
    const key = keyByHash(this.sql, digest);
    if (!key) return null;
    const { hash, ...rest } = key;
    return { key: rest, hash, tenant: key.tenantId === OPERATOR_TENANT ? null : getTenant(this.sql, key.tenantId) };
  }

  listTenants() {
    return listTenants(this.sql);
  }

  putTenant(config: TenantConfig, actor: Actor) {
    return this.atomic(() => putTenant(this.sql, config, actor));
  }

  listVersions(id: string) {
    return listVersions(this.sql, id);
  }

  getVersion(id: string, version: number) {
    return getVersion(this.sql, id, version);
  }

  rollback(id: string, to: number | undefined, actor: Actor) {
    return this.atomic(() => rollback(this.sql, id, to, actor));
  }

  /** `seed`: a development fixture deployed first when the tenant has no row yet. */
  setDisabled(id: string, disabled: boolean, actor: Actor, seed?: TenantConfig) {
    return this.atomic(() => {
      if (seed && !getTenant(this.sql, id)) putTenant(this.sql, seed, actor);
      return setDisabled(this.sql, id, disabled, actor);
    });
  }

  listKeys(tenantId: string) {
    return listKeys(this.sql, tenantId);
  }

  createKey(key: NewKey, actor: Actor) {
    return this.atomic(() => createKey(this.sql, key, actor));
  }

  revokeKey(tenantId: string, keyId: string, actor: Actor) {
    return this.atomic(() => revokeKey(this.sql, tenantId, keyId, actor));
  }

  rotateKey(tenantId: string, keyId: string, fresh: Omit<NewKey, "name" | "scopes" | "tenantId">, overlapMs: number, actor: Actor) {
    return this.atomic(() => rotateKey(this.sql, tenantId, keyId, fresh, overlapMs, actor));
  }

  touchKey(keyId: string, at: number): void {
    touchKey(this.sql, keyId, at);
  }

  /** The first operator key, accepted only while no operator key was ever created (the bootstrap token dies with it). */
  bootstrapOperator(key: NewKey, actor: Actor) {
    return this.atomic(() => {
      const ever = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM keys WHERE tenant_id = ?", OPERATOR_TENANT).one().n;
      if (ever > 0) throw new AppError("forbidden", "the platform is already bootstrapped: create operator keys with an operator key");
      return createKey(this.sql, { ...key, tenantId: OPERATOR_TENANT }, actor, "operator.bootstrap");
    });
  }

  liveKeyCount(tenantId: string) {
    return countLiveKeys(this.sql, tenantId);
  }

  readAudit(tenantId: string | undefined, cursor: number | undefined, limit: number) {
    return readAudit(this.sql, tenantId, cursor, limit);
  }
}
