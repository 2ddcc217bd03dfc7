// Search routes: POST /v1/search (cited answer) and POST /v1/retrieve (ranked chunks). Search reserves the tenant's
// worst-case tokens before the search service is called; retrieve (one query embedding, a rerank on request)
// reserves while it runs and refuses its result when the budget is gone. Both settle with the usage reported.
import { estimateRetrieveTokens, estimateSearchTokens, okResponse, RetrieveRequestSchema, SearchRequestSchema } from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { reserveTokens, type Reservation } from "../limits/budget.ts";
import type { GatewayRequest } from "../request.ts";
import { caller } from "./guards.ts";

export async function search(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const input = parseInput(SearchRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const context = requestContext(who, request.traceId, "/v1/search");
  const reservation = await reserveTokens(env, context, estimateSearchTokens(context.tenant, input));
  const result = await settled(ctx, reservation, env.SEARCH.search(context, input));
  return okResponse(result, request.traceId);
}

export async function retrieve(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const input = parseInput(RetrieveRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const context = requestContext(who, request.traceId, "/v1/retrieve");
  const running = env.SEARCH.retrieve(context, input);
  running.catch(() => {}); // handled below; this keeps an early failure from counting as unhandled meanwhile
  // If the budget is gone the result is thrown away: at most one query embedding is spent past it.
  const reservation = await reserveTokens(env, context, estimateRetrieveTokens(context.tenant, input)).catch(async (error: unknown) => {
    await running.catch(() => {});
    throw error;
  });
  return okResponse(await settled(ctx, reservation, running), request.traceId);
}

/** The call's result; the reservation settles in the background with the tokens it used (none if it failed). */
async function settled<T extends { usage: { total_tokens: number } }>(ctx: ExecutionContext, reservation: Reservation, call: Promise<T>): Promise<T> {
  try {
    const result = await call;
    ctx.waitUntil(reservation.settle(result.usage.total_tokens));
    return result;
  } catch (error) {
    ctx.waitUntil(reservation.settle(0));
    throw error;
  }
}
