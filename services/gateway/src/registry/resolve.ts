// The gateway's reads of the registry through an in-isolate cache. Staleness bound: an entry is used for at most
// CACHE_TTL_MS (5 s), so a deploy, disable, revocation or expiry reaches every isolate within 5 s (the isolate that
// made the change forgets its entries at once). Dev fixture tenants answer when the registry has no row for them.
import { buildDevKeys, buildTenants } from "../tenants.ts";
import { registry } from "./stub.ts";
import type { DeployedTenant, StoredKey } from "./schema.ts";

export const CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { at: number; value: unknown }>();

async function cached<T>(key: string, load: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_TTL_MS) return hit.value as T;
  const value = await load();
  if (cache.size >= MAX_ENTRIES) cache.clear();
  if (keep(value)) cache.set(key, { at: now, value });
  else cache.delete(key);
  return value;
}

/** Drops this isolate's cached entries after a change it made itself. */
export function forget(...keys: string[]): void {
  for (const key of keys) cache.delete(key);
}
export const tenantCacheKey = (id: string) => `tenant:${id}`;
export const keyCacheKey = (hash: string) => `key:${hash}`;
export function forgetHosts(): void {
  for (const key of cache.keys()) if (key.startsWith("host:")) cache.delete(key);
}

const FIXTURES = new Map(buildTenants().map((t) => [t.id, t]));
const FIXTURE_HOSTS = new Map(buildTenants().flatMap((t) => t.hosts.map((h) => [h, t.id] as const)));
export const DEV_KEYS = new Map(buildDevKeys().map((k) => [k.sha256, k]));

/** A dev fixture as a deployed tenant (version 0) — development builds only. */
export function fixture(id: string): DeployedTenant | null {
  const config = FIXTURES.get(id);
  return config ? { id, version: 0, disabled: false, updatedAt: new Date(0).toISOString(), config } : null;
}
export const fixtureIds = () => [...FIXTURES.keys()];

export async function tenantById(env: GatewayEnv, id: string): Promise<DeployedTenant | null> {
  const deployed = await cached(tenantCacheKey(id), () => registry(env).getTenant(id));
  return deployed ?? fixture(id);
}

export async function tenantIdByHost(env: GatewayEnv, host: string): Promise<string | null> {
  const id = await cached(`host:${host}`, () => registry(env).tenantIdByHost(host));
  return id ?? FIXTURE_HOSTS.get(host) ?? null;
}

export interface KeyLookup {
  key: StoredKey;
  hash: string;
  tenant: DeployedTenant | null;
}

/** A cached key entry by HMAC digest; unknown digests are not cached (the failure limiter guards that path). */
export function cachedKey(hash: string): KeyLookup | undefined {
  const hit = cache.get(keyCacheKey(hash));
  return hit && Date.now() - hit.at < CACHE_TTL_MS ? (hit.value as KeyLookup) : undefined;
}

export async function lookupKey(env: GatewayEnv, hash: string): Promise<KeyLookup | null> {
  const found = await registry(env).lookupKey(hash);
  if (!found) return null;
  const now = Date.now();
  const value: KeyLookup = { key: found.key, hash: found.hash, tenant: found.tenant };
  cache.set(keyCacheKey(hash), { at: now, value });
  if (found.tenant) cache.set(tenantCacheKey(found.tenant.id), { at: now, value: found.tenant });
  return value;
}
