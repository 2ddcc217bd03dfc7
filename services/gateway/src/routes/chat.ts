// Chat routes: POST /v1/chat (SSE relayed without buffering, or JSON; `rag` and `tools` turns too), a session's history,
// and clearing a session. Tokens are reserved before the chat service is called (every model round of a tools turn
// included) and settled with the usage it reports.
import * as v from "valibot";
import {
  ChatRequestSchema,
  HistoryQuerySchema,
  SSE_HEADERS,
  SessionIdSchema,
  chooseModel,
  estimateChatTurnTokens,
  estimateTokens,
  okResponse,
  type AdmissionGate,
  type ChatInput,
  type ChatResult,
  type RequestContext,
} from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { caller, needs } from "../guards.ts";
import { withGatedTokenBudget, withTokenBudget } from "../limits/budget.ts";
import { relayChatStream, streamUsage, type EventTransform } from "../relay.ts";
import type { GatewayRequest } from "../request.ts";

type ChatRelay = ReturnType<typeof relayChatStream>;

export async function postChat(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const body = parseInput(ChatRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  // Grounding reads the tenant's documents and tools act for the caller: each needs its own feature and scope too.
  if (body.rag) needs("search")(request);
  if (body.tools) needs("tools")(request);
  const rctx = requestContext(who, request.traceId, request.route);
  const input: ChatInput = {
    messages: body.messages ?? [{ role: "user", content: body.message ?? "" }],
    ...pick(body, ["sessionId", "model", "temperature", "max_tokens", "rag"]),
  };
  if (body.tools) input.tools = {};
  const json = body.stream === false || (body.stream === undefined && prefersJson(request.headers.get("accept")));
  if (json) {
    const result = await chatJson(request, env, rctx, input);
    const { cache: _cache, ...data } = result;
    return okResponse(data, request.traceId, { headers: { "x-cache": result.cache } });
  }
  const { stream } = await chatSse(request, env, ctx, rctx, input);
  return new Response(stream, { headers: { ...SSE_HEADERS, "x-cache": "BYPASS" } });
}

/** A non-streamed chat call within the tenant's token budget; shared with the OpenAI-compatible route. */
export async function chatJson(request: GatewayRequest, env: GatewayEnv, rctx: RequestContext, input: ChatInput): Promise<ChatResult> {
  const model = chooseModel(rctx.tenant, "chat", input.model);
  request.ai = { model, cache: "BYPASS" };
  const estimate = estimateChatTurnTokens(rctx.tenant, input);
  const { result, settled } = await withTokenBudget<ChatResult>(request, env, estimate, () => env.CHAT.chat(rctx, input), (r) => r.usage.total_tokens);
  await settled;
  request.ai = { model: result.model, tokensIn: result.usage.prompt_tokens, tokensOut: result.usage.completion_tokens, cache: result.cache };
  return result;
}

/** A streamed chat call: the service's SSE stream, metered as it passes; the reservation settles when it ends. */
export async function chatSse(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext, rctx: RequestContext, input: ChatInput, transform?: EventTransform) {
  const model = chooseModel(rctx.tenant, "chat", input.model);
  request.ai = { model, cache: "BYPASS" };
  const estimate = estimateChatTurnTokens(rctx.tenant, input);
  const promptTokens = estimateTokens(input.messages.reduce((sum, m) => sum + m.content.length, 0));
  // The chat service is called while the admission is decided; it waits for the gate before its first read or AI call.
  const open = async (gate: AdmissionGate) => relayChatStream(await env.CHAT.chatStream(rctx, input, gate), transform);
  const usage = async (relay: ChatRelay) => streamUsage(await relay.outcome, promptTokens);
  const discard = (relay: ChatRelay) => void relay.stream.cancel().catch(() => {});
  const { result: relay, settled } = await withGatedTokenBudget(request, env, estimate, open, async (r) => (await usage(r)).total_tokens, discard);
  request.streamEnd = settled.then(async () => {
    const { prompt_tokens, completion_tokens } = await usage(relay);
    request.ai = { model: relay.model() ?? model, tokensIn: prompt_tokens, tokensOut: completion_tokens, cache: "BYPASS" };
  });
  ctx.waitUntil(request.streamEnd);
  return { stream: relay.stream, model };
}

export async function getHistory(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const rctx = requestContext(caller(request), request.traceId, request.route);
  const sessionId = sessionParam(request);
  const query = parseInput(HistoryQuerySchema, { ...request.query });
  const page = await env.CHAT.history(rctx, sessionId, pick(query, ["cursor", "limit"]));
  return okResponse(page, request.traceId);
}

export async function deleteChat(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const rctx = requestContext(caller(request), request.traceId, request.route);
  return okResponse(await env.CHAT.deleteSession(rctx, sessionParam(request)), request.traceId);
}

function sessionParam(request: GatewayRequest): string {
  return parseInput(v.object({ sessionId: SessionIdSchema }), { sessionId: request.params.sessionId }).sessionId;
}

function prefersJson(accept: string | null): boolean {
  return !!accept && accept.includes("application/json") && !accept.includes("text/event-stream");
}

/** The keys of `source` that are set, without `undefined` values (RPC and exactOptional types both prefer that). */
function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
