// GET /v1/admin/usage: the /v1/usage series for every tenant (or ?tenant=<id>), for operators; ?format=csv is the
// billing export (RFC 4180, one row per tenant, interval and model; each tenant's rows sum to its own /v1/usage).
import * as v from "valibot";
import { AppError, okResponse } from "@platform/shared";
import { authenticate, presentedKey } from "../auth.ts";
import { parseInput } from "../body.ts";
import { usageCsv } from "../metrics/csv.ts";
import { metricsSource, notConfigured } from "../metrics/record.ts";
import { UsageParamsSchema, usageQuery } from "../metrics/query.ts";
import { buildSeries } from "../metrics/series.ts";
import type { GatewayRequest } from "../request.ts";

const AdminUsageParamsSchema = v.object({ ...UsageParamsSchema.entries, tenant: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "tenant must be a tenant id"))) });

export async function adminUsage(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  await requireOperator(request, env);
  const params = parseInput(AdminUsageParamsSchema, { ...request.query });
  const query = { ...usageQuery(params), ...(params.tenant ? { tenantId: params.tenant } : {}) };
  const source = metricsSource(env);
  if (!source) throw notConfigured();
  const [facts, latencies] = await Promise.all([source.facts(query), source.latencies(query)]);
  const series = buildSeries(query, facts, latencies);
  if (params.format === "csv") {
    const name = `usage-${new Date(query.from).toISOString().slice(0, 10)}-${query.granularity}.csv`;
    return new Response(usageCsv(series), { headers: { "content-type": "text/csv; charset=utf-8; header=present", "content-disposition": `attachment; filename="${name}"` } });
  }
  const tenants = Object.fromEntries([...series].sort(([a], [b]) => a.localeCompare(b)));
  return okResponse({ granularity: query.granularity, from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), tenants }, request.traceId);
}

/** The operator check: a key with the `platform` scope (the registry's operator keys; `sk-dev-operator` in development). */
async function requireOperator(request: GatewayRequest, env: GatewayEnv): Promise<void> {
  if (!presentedKey(request.headers)) throw new AppError("unauthorized", "missing API key: send `Authorization: Bearer <operator key>`");
  const caller = (request.caller = await authenticate(request, env));
  if (!caller.operator) throw new AppError("forbidden", "this route needs an operator key (`platform` scope)");
}
