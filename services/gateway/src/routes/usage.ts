// GET /v1/usage: the caller's tenant's requests, tokens and TTS characters today and this month, and budget left.
import { okResponse } from "@platform/shared";
import { usageStub } from "../limits/budget.ts";
import { caller } from "../guards.ts";
import type { GatewayRequest } from "../request.ts";

export async function usage(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const { tenant } = caller(request);
  const report = await usageStub(env, tenant.id).report(tenant.budgets);
  return okResponse({ tenantId: tenant.id, ...report }, request.traceId);
}
