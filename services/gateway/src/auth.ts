// Tenant resolution and authentication: the API key names the tenant; x-tenant-id and host mapping must agree with it.
import { AppError, type RequestContext, type Scope, type TenantConfig, hasScope, tenantSettings } from "@platform/shared";
import { findKey, indexKeys } from "./keys.ts";
import { buildTenants } from "./tenants.ts";

const TENANTS = buildTenants();

const KEYS = indexKeys(TENANTS);
const TENANT_BY_HOST = new Map(TENANTS.flatMap((t) => t.hosts.map((host) => [host, t] as const)));
const SETTINGS = new Map(TENANTS.map((t) => [t.id, tenantSettings(t)]));

export interface Caller {
  tenant: TenantConfig;
  keyId: string;
  scopes: Scope[];
}

export function presentedKey(headers: Headers): string | undefined {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("unauthorized", "Authorization header must be `Bearer <api key>`");
    return match[1];
  }
  return headers.get("x-api-key")?.trim() || undefined;
}

export async function authenticate(request: Request, environment: string): Promise<Caller> {
  const key = presentedKey(request.headers);
  if (!key) throw new AppError("unauthorized", "missing API key: send `Authorization: Bearer <key>` or `x-api-key`");
  const record = await findKey(KEYS, key);
  if (!record || (record.devOnly && environment !== "development")) throw new AppError("unauthorized", "invalid API key");

  const claimed = request.headers.get("x-tenant-id");
  if (claimed !== null && claimed !== record.tenant.id) {
    throw new AppError("tenant_mismatch", "x-tenant-id does not match the API key's tenant");
  }
  const hostTenant = TENANT_BY_HOST.get(new URL(request.url).hostname.toLowerCase());
  if (hostTenant && hostTenant.id !== record.tenant.id) {
    throw new AppError("tenant_mismatch", "this host belongs to another tenant than the API key");
  }
  return { tenant: record.tenant, keyId: record.id, scopes: record.scopes };
}

export function requireScope(caller: Caller, scope: Scope): void {
  if (!hasScope(caller, scope)) throw new AppError("forbidden", `this API key lacks the \`${scope}\` scope`);
}

export function requestContext(caller: Caller, traceId: string, route: string): RequestContext {
  const tenant = SETTINGS.get(caller.tenant.id) ?? tenantSettings(caller.tenant);
  return { tenantId: caller.tenant.id, keyId: caller.keyId, scopes: caller.scopes, traceId, route, tenant };
}

/** The CORS origins any tenant allows, for preflights that carry no key yet. */
export const ALL_CORS_ORIGINS = new Set(TENANTS.flatMap((t) => t.cors.origins));
