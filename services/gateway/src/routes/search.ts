// Search routes: POST /v1/search (cited answer) and POST /v1/retrieve (ranked chunks). Search reserves the tenant's
// worst-case tokens before the search service is called; retrieve (one query embedding, a rerank on request)
// reserves while it runs and refuses its result when the budget is gone. Both settle with the usage reported.
import { estimateRetrieveTokens, estimateSearchTokens, okResponse, RetrieveRequestSchema, SearchRequestSchema } from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { caller } from "../guards.ts";
import { withTokenBudget } from "../limits/budget.ts";
import { noteRetrieval } from "../metrics/event.ts";
import type { GatewayRequest } from "../request.ts";

export async function search(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const input = parseInput(SearchRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const context = requestContext(who, request.traceId, "/v1/search");
  const estimate = estimateSearchTokens(context.tenant, input);
  const { result, settled } = await withTokenBudget(env, context, estimate, () => env.SEARCH.search(context, input), totalTokens);
  noteRetrieval(request, context.tenant, { ...result.why, usage: result.usage });
  ctx.waitUntil(settled);
  return okResponse(result, request.traceId);
}

export async function retrieve(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const input = parseInput(RetrieveRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const context = requestContext(who, request.traceId, "/v1/retrieve");
  // Called while the reservation is checked: if the budget is gone the result is thrown away, so at most one query
  // embedding is spent past it.
  const running = env.SEARCH.retrieve(context, input);
  const { result, settled } = await withTokenBudget(env, context, estimateRetrieveTokens(context.tenant, input), running, totalTokens);
  noteRetrieval(request, context.tenant, result);
  ctx.waitUntil(settled);
  return okResponse(result, request.traceId);
}

const totalTokens = (result: { usage: { total_tokens: number } }) => result.usage.total_tokens;
