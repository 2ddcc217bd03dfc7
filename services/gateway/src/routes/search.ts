// Search routes: POST /v1/search (cited answer) and POST /v1/retrieve (ranked chunks). Search reserves the tenant's
// worst-case tokens before the search service is called, retrieve its query embedding (and rerank on request); both
// settle with the usage reported. A keyword retrieve asks no model and reserves nothing.
import { estimateRetrieveTokens, estimateSearchTokens, okResponse, RetrieveRequestSchema, SearchRequestSchema } from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { caller } from "../guards.ts";
import { withoutTokens, withTokenBudget } from "../limits/budget.ts";
import { noteRetrieval } from "../metrics/event.ts";
import type { GatewayRequest } from "../request.ts";

export async function search(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const input = parseInput(SearchRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const context = requestContext(who, request.traceId, "/v1/search");
  const estimate = estimateSearchTokens(context.tenant, input);
  const { result, settled } = await withTokenBudget(request, env, estimate, () => env.SEARCH.search(context, input), totalTokens);
  noteRetrieval(request, context.tenant, { ...result.why, usage: result.usage });
  ctx.waitUntil(settled);
  return okResponse(result, request.traceId);
}

export async function retrieve(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const input = parseInput(RetrieveRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const context = requestContext(who, request.traceId, "/v1/retrieve");
  const estimate = estimateRetrieveTokens(context.tenant, input);
  const call = () => env.SEARCH.retrieve(context, input);
  const { result, settled } = estimate === 0 ? await withoutTokens(request, env, call) : await withTokenBudget(request, env, estimate, call, totalTokens);
  noteRetrieval(request, context.tenant, result);
  ctx.waitUntil(settled);
  return okResponse(result, request.traceId);
}

const totalTokens = (result: { usage: { total_tokens: number } }) => result.usage.total_tokens;
