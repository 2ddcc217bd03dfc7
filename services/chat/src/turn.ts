// One chat turn: the session's context plus the new messages go to the model; both sides of the turn are stored.
// With rag or tools the turn is augmented (augment.ts) and bypasses the response cache.
import { chooseModel, runChat, type AiRunner, type CacheStatus, type ChatInput, type ChatMessage, type ChatResult, type RequestContext, type TokenUsage } from "@platform/shared";
import { augment, augmentedAnswer } from "./augment.ts";
import { cacheKey, readCached, writeCached } from "./cache.ts";
import type { SearchRpc, ToolsRpc } from "./ports.ts";
import type { ChatSession, NewMessage } from "./session.ts";
import { CONTEXT_LIMITS, sessionStub } from "./sessions.ts";

export interface ChatDeps {
  ai: AiRunner;
  sessions: DurableObjectNamespace<ChatSession>;
  cache: KVNamespace;
  search: SearchRpc;
  tools: ToolsRpc;
  waitUntil(promise: Promise<unknown>): void;
}

export interface TurnSetup {
  sessionId?: string;
  session?: DurableObjectStub<ChatSession>;
  /** What the model sees: the session's recent messages, then the new ones. */
  messages: ChatMessage[];
  /** The new messages, with ids, to store. */
  incoming: NewMessage[];
}

const ZERO_USAGE: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** Resolves the session (a new id when none was given) and loads its context; another tenant's session is 404. */
export async function prepareTurn(deps: ChatDeps, ctx: RequestContext, input: ChatInput): Promise<TurnSetup> {
  const incoming = input.messages.map((m) => ({ id: crypto.randomUUID(), role: m.role, content: m.content }));
  if (input.stateless) return { messages: input.messages, incoming };
  const sessionId = input.sessionId ?? crypto.randomUUID();
  const session = sessionStub(deps.sessions, ctx.tenantId, sessionId);
  const context = input.sessionId === undefined ? [] : await session.context(ctx.tenantId, CONTEXT_LIMITS);
  return { sessionId, session, messages: [...context, ...input.messages], incoming };
}

export function retention(ctx: RequestContext) {
  return { sessionDays: ctx.tenant.retention.sessionDays, maxMessages: ctx.tenant.retention.maxMessages };
}

/** A non-streamed turn, answered from the tenant's cache when the request is deterministic (temperature 0). */
export async function chatTurn(deps: ChatDeps, ctx: RequestContext, input: ChatInput): Promise<ChatResult> {
  const setup = await prepareTurn(deps, ctx, input);
  if (input.rag || input.tools) return augmentedTurn(deps, ctx, input, setup);
  const model = chooseModel(ctx.tenant, "chat", input.model);
  const key = input.temperature === 0 ? await cacheKey(ctx.tenantId, { model, messages: setup.messages, max_tokens: input.max_tokens }) : undefined;
  const cached = key ? await readCached(deps.cache, key) : null;
  let answer: { model: string; content: string; usage: TokenUsage };
  let cache: CacheStatus = key ? "MISS" : "BYPASS";
  if (cached) {
    answer = { model: cached.model, content: cached.content, usage: ZERO_USAGE };
    cache = "HIT";
  } else {
    const result = await runChat({ ai: deps.ai, ctx, service: "chat", model }, { messages: setup.messages, max_tokens: input.max_tokens, temperature: input.temperature });
    answer = result;
    // A fallback model's answer is not the answer of the model the key names.
    if (key && !result.fallback) await writeCached(deps.cache, key, { model: result.model, content: result.content, usage: result.usage }, ctx.tenant.cache.ttlSeconds);
  }
  const messageId = crypto.randomUUID();
  const reply: NewMessage = { id: messageId, role: "assistant", content: answer.content, model: answer.model };
  await setup.session?.append(ctx.tenantId, [...setup.incoming, reply], retention(ctx));
  const result: ChatResult = { messageId, model: answer.model, content: answer.content, usage: answer.usage, cache };
  if (setup.sessionId) result.sessionId = setup.sessionId;
  return result;
}

/** A non-streamed rag and/or tools turn: grounded, tool rounds run, answer stored, never cached. */
async function augmentedTurn(deps: ChatDeps, ctx: RequestContext, input: ChatInput, setup: TurnSetup): Promise<ChatResult> {
  const augmented = await augment(deps, ctx, input, setup.messages);
  const answer = await augmentedAnswer(deps, ctx, input, augmented);
  const messageId = crypto.randomUUID();
  const reply: NewMessage = { id: messageId, role: "assistant", content: answer.content, model: answer.model };
  await setup.session?.append(ctx.tenantId, [...setup.incoming, reply], retention(ctx));
  const result: ChatResult = { messageId, model: answer.model, content: answer.content, usage: answer.usage, cache: "BYPASS" };
  if (setup.sessionId) result.sessionId = setup.sessionId;
  if (augmented.sources) result.sources = augmented.sources;
  if (answer.toolCalls) result.toolCalls = answer.toolCalls;
  return result;
}
