// Tool routes: GET /v1/tools (what this key may use, with JSON Schemas), POST /v1/tools/execute (token budget
// reserved before the call, settled with what the tool spent) and GET /v1/audit (the tenant's audit log, paged).
import { AuditQuerySchema, estimateToolTokens, okResponse, ToolExecuteRequestSchema, type AuditQuery, type ToolExecution } from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { caller } from "../guards.ts";
import { withTokenBudget } from "../limits/budget.ts";
import type { GatewayRequest } from "../request.ts";

export async function listTools(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const rctx = requestContext(caller(request), request.traceId, request.route);
  return okResponse(await env.TOOLS.list(rctx), request.traceId);
}

export async function executeTool(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const who = caller(request);
  const body = parseInput(ToolExecuteRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const rctx = requestContext(who, request.traceId, request.route);
  const estimate = estimateToolTokens(JSON.stringify(body.args).length);
  const call = () => env.TOOLS.execute(rctx, { tool: body.tool, args: body.args });
  const { result: out, settled } = await withTokenBudget<ToolExecution>(request, env, estimate, call, (r) => r.usage.total_tokens);
  await settled;
  if (out.usage.total_tokens > 0) request.ai = { tokensIn: out.usage.prompt_tokens, tokensOut: out.usage.completion_tokens };
  return okResponse(out, request.traceId);
}

export async function auditLog(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const rctx = requestContext(caller(request), request.traceId, request.route);
  const parsed = parseInput(AuditQuerySchema, { ...request.query });
  const query: AuditQuery = {};
  if (parsed.cursor !== undefined) query.cursor = parsed.cursor;
  if (parsed.limit !== undefined) query.limit = parsed.limit;
  if (parsed.tool !== undefined) query.tool = parsed.tool;
  if (parsed.outcome !== undefined) query.outcome = parsed.outcome;
  return okResponse(await env.TOOLS.audit(rctx, query), request.traceId);
}
