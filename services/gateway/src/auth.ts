// Tenant resolution and authentication: the API key names the tenant (registry, or dev fixtures in development);
// x-tenant-id and host mapping must agree with it; failed attempts are limited per client IP before any lookup.
import * as v from "valibot";
import { AppError, TenantConfigSchema, type RequestContext, type Scope, type TenantConfig, hasScope, tenantSettings } from "@platform/shared";
import { hmacHex, pepper, sameDigest, sha256Hex } from "./keys.ts";
import { failedAttempt, guardCheck, locallyBlocked } from "./registry/failures.ts";
import { registry } from "./registry/stub.ts";
import { DEV_KEYS, cachedKey, lookupKey, tenantById, tenantIdByHost } from "./registry/resolve.ts";
import { OPERATOR_TENANT, type DeployedTenant, type KeyBudgets, type KeyLimits } from "./registry/schema.ts";
import { buildTenants } from "./tenants.ts";

export interface CallerKey {
  id: string;
  /** Per-key limits and budgets, enforced on top of the tenant's by the admission decision. */
  limits?: KeyLimits;
  budgets?: KeyBudgets;
}

export interface Caller {
  tenant: TenantConfig;
  keyId: string;
  scopes: Scope[];
  key: CallerKey;
  /** An operator (scope `platform`): its `tenant` is the placeholder PLATFORM_TENANT, with every feature off. */
  operator: boolean;
  /** The end user the request names (`x-user-id`), for per-user limits. */
  userId?: string;
}

/** The tenant an operator key acts as outside /v1/admin: no feature enabled. */
export const PLATFORM_TENANT: TenantConfig = v.parse(TenantConfigSchema, {
  id: "platform", name: "Platform operators", models: { chat: "@cf/none" },
  features: { chat: false, search: false, ingest: false, tools: false, tts: false },
});

const USER_ID = /^[\w.@:+-]{1,128}$/;
const TOUCH_EVERY_MS = 60_000;
const touched = new Map<string, number>();

export function presentedKey(headers: Headers): string | undefined {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("unauthorized", "Authorization header must be `Bearer <api key>`");
    return match[1];
  }
  return headers.get("x-api-key")?.trim() || undefined;
}

/** The client IP failed attempts are counted under (development without the header: one fixed bucket). */
export const clientIp = (request: Request) => request.headers.get("cf-connecting-ip") ?? "local";

interface Found {
  keyId: string;
  scopes: Scope[];
  tenant: DeployedTenant | null;
  operator: boolean;
  key: CallerKey;
}

async function devKey(env: GatewayEnv, presented: string): Promise<Found | undefined> {
  if (env.ENVIRONMENT !== "development" || DEV_KEYS.size === 0) return undefined;
  const digest = await sha256Hex(presented);
  const dev = DEV_KEYS.get(digest);
  if (!dev || !sameDigest(digest, dev.sha256)) return undefined;
  const operator = dev.scopes.includes("platform");
  const tenant = operator ? null : await tenantById(env, dev.tenantId);
  return { keyId: dev.id, scopes: dev.scopes, tenant, operator, key: { id: dev.id } };
}

async function runtimeKey(env: GatewayEnv, presented: string, ip: string, ctx?: ExecutionContext): Promise<Found | undefined> {
  const hash = await hmacHex(pepper(env), presented);
  let found = cachedKey(hash);
  if (!found) {
    await guardCheck(env, ip);
    found = (await lookupKey(env, hash)) ?? undefined;
  }
  if (!found || !sameDigest(hash, found.hash)) return undefined;
  const now = Date.now();
  const { key } = found;
  if (key.revokedAt || (key.expiresAt && Date.parse(key.expiresAt) <= now)) return undefined;
  if (ctx && now - (touched.get(key.id) ?? 0) >= TOUCH_EVERY_MS) {
    touched.set(key.id, now);
    ctx.waitUntil(registry(env).touchKey(key.id, now).catch(() => undefined));
  }
  const operator = key.tenantId === OPERATOR_TENANT;
  // The tenant through its own cache entry, which a deploy or disable in this isolate forgets at once.
  const tenant = operator ? null : await tenantById(env, key.tenantId);
  const callerKey: CallerKey = { id: key.id, ...(key.limits && { limits: key.limits }), ...(key.budgets && { budgets: key.budgets }) };
  return { keyId: key.id, scopes: key.scopes as Scope[], tenant, operator, key: callerKey };
}

export async function authenticate(request: Request, env: GatewayEnv, ctx?: ExecutionContext): Promise<Caller> {
  const presented = presentedKey(request.headers);
  if (!presented) throw new AppError("unauthorized", "missing API key: send `Authorization: Bearer <key>` or `x-api-key`");
  const ip = clientIp(request);
  locallyBlocked(ip);
  const found = (await devKey(env, presented)) ?? (await runtimeKey(env, presented, ip, ctx));
  if (!found || (!found.operator && !found.tenant)) return failedAttempt(env, ip);

  const userId = request.headers.get("x-user-id") ?? undefined;
  if (userId !== undefined && !USER_ID.test(userId)) throw new AppError("invalid_request", "x-user-id must be 1-128 letters, digits or . _ @ : + -");
  const base = { keyId: found.keyId, scopes: found.scopes, key: found.key, ...(userId && { userId }) };
  if (found.operator) return { ...base, tenant: PLATFORM_TENANT, operator: true };

  const tenant = found.tenant as DeployedTenant;
  if (tenant.disabled) throw new AppError("tenant_disabled", "this tenant is disabled; contact the platform operator");
  const claimed = request.headers.get("x-tenant-id");
  const pinned = pinnedTenant(env);
  if (pinned && (tenant.id !== pinned || (claimed !== null && claimed !== pinned))) {
    throw new AppError("unknown_tenant", "this gateway serves one tenant only; the API key or x-tenant-id names another");
  }
  if (claimed !== null && claimed !== tenant.id) {
    throw new AppError("tenant_mismatch", "x-tenant-id does not match the API key's tenant");
  }
  const hostTenant = await tenantIdByHost(env, new URL(request.url).hostname.toLowerCase());
  if (hostTenant && hostTenant !== tenant.id) {
    throw new AppError("tenant_mismatch", "this host belongs to another tenant than the API key");
  }
  return { ...base, tenant: tenant.config, operator: false };
}

/** Single-tenant mode (a dedicated tenant's own mesh: TENANT_ID set): every other tenant is unknown here. */
export function pinnedTenant(env: GatewayEnv): string | undefined {
  return (env as { TENANT_ID?: string }).TENANT_ID || undefined;
}

export function requireScope(caller: Caller, scope: Scope): void {
  if (!hasScope(caller, scope)) throw new AppError("forbidden", `this API key lacks the \`${scope}\` scope`);
}

export function requestContext(caller: Caller, traceId: string, route: string): RequestContext {
  return { tenantId: caller.tenant.id, keyId: caller.keyId, scopes: caller.scopes, traceId, route, tenant: tenantSettings(caller.tenant) };
}

/** The CORS origins any dev tenant allows, for preflights that carry no key yet (deployed tenants: see cors.ts). */
export const ALL_CORS_ORIGINS = new Set(buildTenants().flatMap((t) => t.cors.origins));
