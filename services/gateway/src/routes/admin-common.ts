// Shared pieces of the admin API: who may call (operator, tenant admin), the audit actor, key bodies and issuing.
import * as v from "valibot";
import { AppError, SCOPES, hasScope } from "@platform/shared";
import type { Caller } from "../auth.ts";
import { caller } from "../guards.ts";
import { hmacHex, newKey, newKeyId, pepper } from "../keys.ts";
import { registry } from "../registry/stub.ts";
import { forget, tenantById } from "../registry/resolve.ts";
import type { Actor, DeployedTenant, NewKey, StoredKey } from "../registry/schema.ts";
import type { GatewayRequest } from "../request.ts";

/** Admin bodies are small: a tenant config or a key request. */
export const ADMIN_MAX_BODY_BYTES = 65_536;

export function operator(request: GatewayRequest): Caller {
  const who = caller(request);
  if (!who.operator) throw new AppError("forbidden", "this route is for platform operators (a key with the `platform` scope)");
  return who;
}

/** A tenant's own key with the `admin` scope; operators use /v1/admin/tenants/:id/keys instead. */
export function tenantAdmin(request: GatewayRequest): Caller {
  const who = caller(request);
  if (who.operator) throw new AppError("forbidden", "operators manage keys under /v1/admin/tenants/:id/keys");
  if (!hasScope(who, "admin")) throw new AppError("forbidden", "this API key lacks the `admin` scope");
  return who;
}

export const actor = (request: GatewayRequest): Actor => ({ keyId: caller(request).keyId, traceId: request.traceId });

/** The tenant named in the path, deployed (or a dev fixture), else 404 `unknown_tenant`. */
export async function pathTenant(request: GatewayRequest, env: GatewayEnv): Promise<DeployedTenant> {
  const id = String(request.params.id ?? "");
  const tenant = await tenantById(env, id);
  if (!tenant) throw new AppError("unknown_tenant", `no deployed tenant ${id.slice(0, 40)}`);
  return tenant;
}

const PositiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const FutureTime = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), "an ISO 8601 date-time"),
  v.check((s) => Date.parse(s) > Date.now(), "must be in the future"),
);

export const KeyCreateSchema = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)),
  scopes: v.pipe(v.array(v.picklist(SCOPES)), v.minLength(1), v.maxLength(SCOPES.length)),
  expiresAt: v.optional(FutureTime),
  limits: v.optional(v.strictObject({ requestsPerMinute: v.optional(PositiveInt), burst: v.optional(PositiveInt) })),
  budgets: v.optional(v.strictObject({ tokensPerDay: v.optional(PositiveInt), tokensPerMonth: v.optional(PositiveInt) })),
});
export type KeyCreate = v.InferOutput<typeof KeyCreateSchema>;

export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
export const RotateSchema = v.optional(
  v.strictObject({ overlapSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_OVERLAP_SECONDS)), 3600) }),
  { overlapSeconds: 3600 },
);

/** A fresh key and the record the registry stores for it (its HMAC digest, never the key). */
export async function mint(env: GatewayEnv): Promise<{ key: string; record: Pick<NewKey, "id" | "prefix" | "hash"> }> {
  const { key, prefix } = newKey();
  return { key, record: { id: newKeyId(), prefix, hash: await hmacHex(pepper(env), key) } };
}

/** What a create or rotate answers: the key (shown this once) and its public fields. */
export const shownOnce = (key: string, stored: StoredKey) => ({
  key,
  id: stored.id,
  name: stored.name,
  prefix: stored.prefix,
  scopes: stored.scopes,
  createdAt: stored.createdAt,
  expiresAt: stored.expiresAt,
  ...(stored.limits && { limits: stored.limits }),
  ...(stored.budgets && { budgets: stored.budgets }),
});

export async function createKeyFor(env: GatewayEnv, request: GatewayRequest, tenantId: string, body: KeyCreate) {
  const { key, record } = await mint(env);
  const stored = await registry(env).createKey(
    {
      ...record, tenantId, name: body.name, scopes: body.scopes,
      expiresAt: body.expiresAt ? Date.parse(body.expiresAt) : null,
      ...(body.limits && { limits: body.limits }), ...(body.budgets && { budgets: body.budgets }),
    },
    actor(request),
  );
  return shownOnce(key, stored);
}

export async function rotateKeyFor(env: GatewayEnv, request: GatewayRequest, tenantId: string, keyId: string, overlapSeconds: number) {
  const { key, record } = await mint(env);
  const result = await registry(env).rotateKey(tenantId, keyId, { ...record, expiresAt: null }, overlapSeconds * 1000, actor(request));
  forget(`key:${result.previousHash}`);
  return { ...shownOnce(key, result.key), previous: result.previous };
}

export async function revokeKeyFor(env: GatewayEnv, request: GatewayRequest, tenantId: string, keyId: string) {
  const { hash, ...result } = await registry(env).revokeKey(tenantId, keyId, actor(request));
  forget(`key:${hash}`);
  return result;
}
