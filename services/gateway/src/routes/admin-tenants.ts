// Admin API, tenants (operators only): list, read, deploy (PUT: a new version when the config changed), versions,
// rollback (a new version with an old config), disable and enable. A deployed config carries no key material.
import * as v from "valibot";
import { AppError, TenantConfigSchema, isRecord, okResponse } from "@platform/shared";
import { pinnedTenant } from "../auth.ts";
import { readJson, parseInput } from "../body.ts";
import { registry } from "../registry/stub.ts";
import { fixture, fixtureIds, forget, forgetHosts, tenantCacheKey } from "../registry/resolve.ts";
import type { GatewayRequest } from "../request.ts";
import { ADMIN_MAX_BODY_BYTES, actor, operator, pathTenant } from "./admin-common.ts";

// The id operator keys act as outside /v1/admin (auth.ts PLATFORM_TENANT): no tenant may take it.
const RESERVED_IDS = new Set(["platform"]);

const pathId = (request: GatewayRequest) => String(request.params.id ?? "");
const summary = (t: { id: string; version: number; disabled: boolean; updatedAt: string; config: { name: string } }) => ({
  id: t.id, name: t.config.name, version: t.version, disabled: t.disabled, updatedAt: t.updatedAt,
});

export async function listTenants(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  const deployed = await registry(env).listTenants();
  const ids = new Set(deployed.map((t) => t.id));
  // Development: the dev fixtures answer as if deployed (version 0) until a version of them is deployed.
  const fixtures = fixtureIds().filter((id) => !ids.has(id)).flatMap((id) => fixture(id) ?? []);
  const tenants = [...deployed, ...fixtures].sort((a, b) => a.id.localeCompare(b.id)).map(summary);
  return okResponse({ tenants }, request.traceId);
}

export async function getTenant(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  const tenant = (await registry(env).getTenant(pathId(request))) ?? (await pathTenant(request, env));
  return okResponse(tenant, request.traceId);
}

export async function putTenant(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  const id = pathId(request);
  const body = await readJson(request, ADMIN_MAX_BODY_BYTES);
  if (isRecord(body) && "keys" in body) {
    throw new AppError("invalid_request", "a deployed tenant config carries no key material: remove `keys` (create keys with /v1/admin/tenants/:id/keys)");
  }
  const config = parseInput(TenantConfigSchema, body);
  if (config.id !== id) throw new AppError("invalid_request", `the config's id "${config.id}" must equal the path's "${id.slice(0, 40)}"`);
  if (RESERVED_IDS.has(id)) throw new AppError("invalid_request", `tenant id "${id}" is reserved`);
  const pinned = pinnedTenant(env);
  if (pinned && id !== pinned) throw new AppError("unknown_tenant", "this gateway serves one tenant only; deploy other tenants to their own platform");
  const result = await registry(env).putTenant(config, actor(request));
  forget(tenantCacheKey(id));
  forgetHosts();
  return okResponse(result, request.traceId);
}

export async function listVersions(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  return okResponse({ versions: await registry(env).listVersions(pathId(request)) }, request.traceId);
}

export async function getVersion(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  const version = Number(request.params.version);
  if (!Number.isSafeInteger(version) || version < 1) throw new AppError("invalid_request", "version must be a positive integer");
  return okResponse(await registry(env).getVersion(pathId(request), version), request.traceId);
}

const RollbackSchema = v.optional(v.strictObject({ to: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))) }), {});

export async function rollback(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  const id = pathId(request);
  const { to } = parseInput(RollbackSchema, request.headers.get("content-length") === "0" || !request.body ? undefined : await readJson(request, ADMIN_MAX_BODY_BYTES));
  const result = await registry(env).rollback(id, to, actor(request));
  forget(tenantCacheKey(id));
  forgetHosts();
  return okResponse(result, request.traceId);
}

async function setDisabled(request: GatewayRequest, env: GatewayEnv, disabled: boolean): Promise<Response> {
  operator(request);
  const id = pathId(request);
  // A dev fixture without a row is deployed as it is first, so that it can carry the flag.
  const result = await registry(env).setDisabled(id, disabled, actor(request), fixture(id)?.config);
  forget(tenantCacheKey(id));
  return okResponse(result, request.traceId);
}

export const disableTenant = (request: GatewayRequest, env: GatewayEnv) => setDisabled(request, env, true);
export const enableTenant = (request: GatewayRequest, env: GatewayEnv) => setDisabled(request, env, false);
