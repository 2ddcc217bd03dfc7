// Chat routes: POST /v1/chat (SSE relayed without buffering, or JSON; `rag` and `tools` turns too), a session's history,
// and clearing a session. Tokens are reserved before the chat service is called (every model round of a tools turn
// included) and settled with the usage it reports.
import * as v from "valibot";
import { createParser } from "eventsource-parser";
import {
  ChatRequestSchema,
  HistoryQuerySchema,
  SSE_HEADERS,
  SessionIdSchema,
  chooseModel,
  estimateChatTurnTokens,
  estimateTokens,
  okResponse,
  type ChatInput,
  type ChatResult,
  type RequestContext,
  type TokenUsage,
} from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { reserveTokens, type Reservation } from "../limits/budget.ts";
import type { GatewayRequest } from "../request.ts";
import { caller, needs } from "./guards.ts";

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

/** A non-streamed chat call with its budget reservation; shared with the OpenAI-compatible route. */
export async function chatJson(request: GatewayRequest, env: GatewayEnv, rctx: RequestContext, input: ChatInput): Promise<ChatResult> {
  const model = chooseModel(rctx.tenant, "chat", input.model);
  request.ai = { model, cache: "BYPASS" };
  const reservation = await reserveTokens(env, rctx, estimateChatTurnTokens(rctx.tenant, input));
  let result: ChatResult;
  try {
    result = await env.CHAT.chat(rctx, input);
  } catch (error) {
    await reservation.settle(0);
    throw error;
  }
  await reservation.settle(result.usage.total_tokens);
  request.ai = { model: result.model, tokensIn: result.usage.prompt_tokens, tokensOut: result.usage.completion_tokens, cache: result.cache };
  return result;
}

/** A streamed chat call: the service's SSE stream, metered as it passes; the reservation settles when it ends. */
export async function chatSse(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext, rctx: RequestContext, input: ChatInput, transform?: EventTransform) {
  const model = chooseModel(rctx.tenant, "chat", input.model);
  request.ai = { model, cache: "BYPASS" };
  const reservation = await reserveTokens(env, rctx, estimateChatTurnTokens(rctx.tenant, input));
  let upstream: ReadableStream<Uint8Array>;
  try {
    upstream = await env.CHAT.chatStream(rctx, input);
  } catch (error) {
    await reservation.settle(0);
    throw error;
  }
  const relay = relayChatStream(upstream, transform);
  const promptTokens = estimateTokens(input.messages.reduce((sum, m) => sum + m.content.length, 0));
  request.streamEnd = settleWhenDone(relay.outcome, reservation, promptTokens).then((usage) => {
    request.ai = { model: relay.model() ?? model, tokensIn: usage.prompt_tokens, tokensOut: usage.completion_tokens, cache: "BYPASS" };
  });
  ctx.waitUntil(request.streamEnd);
  return { stream: relay.stream, model };
}

async function settleWhenDone(outcome: Promise<RelayOutcome>, reservation: Reservation, promptTokens: number): Promise<TokenUsage> {
  const { usage, completionChars } = await outcome;
  // A stream cut short reports no usage: count what was relayed.
  const used = usage ?? { prompt_tokens: promptTokens, completion_tokens: estimateTokens(completionChars), total_tokens: promptTokens + estimateTokens(completionChars) };
  await reservation.settle(used.total_tokens);
  return used;
}

export interface ChatEvent {
  event: string;
  data: unknown;
}

/** Turns one chat SSE event into the bytes to send instead (OpenAI framing); undefined keeps the original bytes. */
export type EventTransform = (event: ChatEvent) => Uint8Array[];

export interface RelayOutcome {
  usage?: TokenUsage;
  completionChars: number;
  end: "done" | "error" | "eof" | "cancelled";
}

/**
 * Relays the chat service's SSE stream chunk by chunk (pulling upstream only as the client reads), parsing its events
 * on the side. Cancelling the relay (the client went away) cancels the upstream stream and so the model call.
 */
export function relayChatStream(upstream: ReadableStream<Uint8Array>, transform?: EventTransform) {
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  const out: Uint8Array[] = [];
  const state: RelayOutcome = { completionChars: 0, end: "eof" };
  let model: string | undefined;
  let resolve: (outcome: RelayOutcome) => void = () => {};
  const outcome = new Promise<RelayOutcome>((r) => (resolve = r));
  const parser = createParser({
    onEvent({ event = "message", data }) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return;
      }
      const record = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
      if (event === "meta" && typeof record.model === "string") model = record.model;
      if (event === "message" && typeof record.content === "string") state.completionChars += record.content.length;
      if (event === "usage") state.usage = usageOf(record) ?? state.usage;
      if (event === "done" || event === "error") state.end = event;
      if (transform) out.push(...transform({ event, data: parsed }));
    },
  });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (out.length === 0) {
          const { done, value } = await reader.read();
          if (done) {
            parser.feed(decoder.decode() + "\n\n");
            for (const chunk of out.splice(0)) controller.enqueue(chunk);
            controller.close();
            resolve(state);
            return;
          }
          parser.feed(decoder.decode(value, { stream: true }));
          if (!transform) out.push(value);
        }
        for (const chunk of out.splice(0)) controller.enqueue(chunk);
      } catch (error) {
        state.end = "error";
        resolve(state);
        controller.error(error);
      }
    },
    async cancel(reason) {
      state.end = "cancelled";
      resolve(state);
      await reader.cancel(reason).catch(() => {});
    },
  });
  return { stream, outcome, model: () => model };
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

export function usageOf(record: Record<string, unknown>): TokenUsage | undefined {
  const { prompt_tokens, completion_tokens, total_tokens } = record;
  if (typeof prompt_tokens !== "number" || typeof completion_tokens !== "number" || typeof total_tokens !== "number") return undefined;
  return { prompt_tokens, completion_tokens, total_tokens };
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
