// GET /v1/usage: the caller's tenant's counters today and this month and budget left now (as before), plus a time
// series from the metrics store: ?from&to (ISO dates) &granularity=hour|day (docs/observability.md).
import { okResponse } from "@platform/shared";
import { parseInput } from "../body.ts";
import { caller } from "../guards.ts";
import { usageStub } from "../limits/budget.ts";
import { metricsSource } from "../metrics/record.ts";
import { UsageParamsSchema, usageQuery } from "../metrics/query.ts";
import { buildSeries } from "../metrics/series.ts";
import type { GatewayRequest } from "../request.ts";

export async function usage(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const { tenant } = caller(request);
  const params = parseInput(UsageParamsSchema, { ...request.query });
  const query = { ...usageQuery(params), tenantId: tenant.id };
  const source = metricsSource(env);
  // Without a metrics source (staging or production before the SQL API secrets are set) the counters still answer.
  const [report, facts, latencies] = await Promise.all([usageStub(env, tenant.id).report(tenant.budgets), source?.facts(query), source?.latencies(query)]);
  const series = facts && latencies ? (buildSeries(query, facts, latencies, [tenant.id]).get(tenant.id) ?? []) : null;
  return okResponse(
    {
      tenantId: tenant.id,
      ...report,
      budgetLeft: { day: report.day.tokensLeft, month: report.month.tokensLeft },
      granularity: query.granularity,
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      series,
    },
    request.traceId,
  );
}
