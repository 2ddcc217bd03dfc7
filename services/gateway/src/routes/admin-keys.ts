// Admin API, keys: a tenant admin's own keys (/v1/admin/keys), an operator's view of any tenant's keys
// (/v1/admin/tenants/:id/keys), operator keys, the one-time bootstrap, and the audit log.
import * as v from "valibot";
import { AppError, okResponse } from "@platform/shared";
import { clientIp } from "../auth.ts";
import { readJson, parseInput } from "../body.ts";
import { caller } from "../guards.ts";
import { sameDigest, sha256Hex } from "../keys.ts";
import { failedAttempt, guardCheck, locallyBlocked } from "../registry/failures.ts";
import { registry } from "../registry/stub.ts";
import { OPERATOR_TENANT } from "../registry/schema.ts";
import type { GatewayRequest } from "../request.ts";
import {
  ADMIN_MAX_BODY_BYTES, KeyCreateSchema, RotateSchema, createKeyFor, mint, operator, pathTenant, revokeKeyFor, rotateKeyFor, shownOnce, tenantAdmin,
} from "./admin-common.ts";

const keyId = (request: GatewayRequest) => String(request.params.keyId ?? request.params.id ?? "");
const rotateBody = async (request: GatewayRequest) =>
  parseInput(RotateSchema, request.headers.get("content-length") === "0" || !request.body ? undefined : await readJson(request, ADMIN_MAX_BODY_BYTES));

async function ownerOf(request: GatewayRequest, env: GatewayEnv): Promise<string> {
  if (new URL(request.url).pathname.startsWith("/v1/admin/tenants/")) {
    operator(request);
    return (await pathTenant(request, env)).id;
  }
  return tenantAdmin(request).tenant.id;
}

export async function listKeys(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const tenantId = await ownerOf(request, env);
  return okResponse({ keys: await registry(env).listKeys(tenantId) }, request.traceId);
}

export async function createKey(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const tenantId = await ownerOf(request, env);
  const body = parseInput(KeyCreateSchema, await readJson(request, ADMIN_MAX_BODY_BYTES));
  return okResponse(await createKeyFor(env, request, tenantId, body), request.traceId, { status: 201 });
}

export async function revokeKey(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const tenantId = await ownerOf(request, env);
  return okResponse(await revokeKeyFor(env, request, tenantId, keyId(request)), request.traceId);
}

export async function rotateKey(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const tenantId = await ownerOf(request, env);
  const { overlapSeconds } = await rotateBody(request);
  return okResponse(await rotateKeyFor(env, request, tenantId, keyId(request), overlapSeconds), request.traceId, { status: 201 });
}

const OperatorKeySchema = v.strictObject({ name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)) });

async function createOperatorKey(env: GatewayEnv, request: GatewayRequest, name: string, by: { keyId: string; traceId: string }, first: boolean) {
  const { key, record } = await mint(env);
  const fields = { ...record, tenantId: OPERATOR_TENANT, name, scopes: ["platform"], expiresAt: null };
  const stored = first ? await registry(env).bootstrapOperator(fields, by) : await registry(env).createKey(fields, by);
  return okResponse(shownOnce(key, stored), request.traceId, { status: 201 });
}

/** POST /v1/admin/operator-keys: another operator key, created by an operator. */
export async function postOperatorKey(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const who = operator(request);
  const { name } = parseInput(OperatorKeySchema, await readJson(request, ADMIN_MAX_BODY_BYTES));
  return createOperatorKey(env, request, name, { keyId: who.keyId, traceId: request.traceId }, false);
}

export async function listOperatorKeys(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  return okResponse({ keys: await registry(env).listKeys(OPERATOR_TENANT) }, request.traceId);
}

export async function revokeOperatorKey(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  operator(request);
  return okResponse(await revokeKeyFor(env, request, OPERATOR_TENANT, keyId(request)), request.traceId);
}

/**
 * POST /v1/admin/bootstrap with `Authorization: Bearer <BOOTSTRAP_TOKEN>`: the first operator key, only while no
 * operator key was ever created. A wrong token counts as a failed authentication of the client IP.
 */
export async function bootstrap(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const token = (env as { BOOTSTRAP_TOKEN?: string }).BOOTSTRAP_TOKEN;
  if (!token) throw new AppError("forbidden", "bootstrap is off: set the BOOTSTRAP_TOKEN secret to create the first operator key");
  const ip = clientIp(request);
  locallyBlocked(ip);
  await guardCheck(env, ip);
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!sameDigest(await sha256Hex(presented), await sha256Hex(token))) return failedAttempt(env, ip);
  const { name } = parseInput(OperatorKeySchema, await readJson(request, ADMIN_MAX_BODY_BYTES));
  return createOperatorKey(env, request, name, { keyId: "bootstrap", traceId: request.traceId }, true);
}

const AuditQuery = v.object({
  tenant: v.optional(v.string()),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, "a cursor from a previous page"), v.transform(Number))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, "1-200"), v.transform(Number), v.minValue(1), v.maxValue(200)), "50"),
});

/** GET /v1/admin/audit: every tenant's (or ?tenant=) entries for an operator; a tenant admin's own tenant's. */
export async function auditEntries(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const who = caller(request);
  const query = parseInput(AuditQuery, request.query);
  const tenantId = who.operator ? query.tenant : tenantAdmin(request).tenant.id;
  const page = await registry(env).readAudit(tenantId, query.cursor, Number(query.limit));
  return okResponse(page, request.traceId);
}
