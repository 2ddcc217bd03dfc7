// GET /v1/me: what the presented key may do (tenant, key id, scopes, the tenant's features), for the console.
import { okResponse } from "@platform/shared";
import { caller } from "../guards.ts";
import type { GatewayRequest } from "../request.ts";

export function me(request: GatewayRequest): Response {
  const { tenant, keyId, scopes } = caller(request);
  return okResponse({ tenant: { id: tenant.id, name: tenant.name }, keyId, scopes, features: tenant.features }, request.traceId);
}
