// Chat service entry: RPC methods the gateway calls over its CHAT binding.
import {
  AppError,
  CHAT_LIMITS,
  probes,
  rpcClient,
  runEmbedding,
  type AdmissionGate,
  type AiRunner,
  type ChatInput,
  type ChatResult,
  type EmbeddingInput,
  type EmbeddingResult,
  type HistoryPage,
  type HistoryParams,
  type RequestContext,
  meteredAi,
} from "@platform/shared";
import { serviceEntrypoint } from "@platform/shared/service";
import { version } from "../package.json";
import { sessionStub } from "./sessions.ts";
import { chatTurnStream } from "./stream.ts";
import { chatTurn, type ChatDeps } from "./turn.ts";
export { ChatSession } from "./session.ts";

export class ChatService extends serviceEntrypoint<ChatEnv>({
  name: "chat",
  version,
  probes: (env, ctx) => ({ sessions: probes.binding(env.CHAT_SESSION, "idFromName"), cache: probes.kv(env.CACHE, `${ctx.tenantId}:health`), ai: probes.ai(env.AI as unknown as Ai) }),
}) {
  /** A non-streamed turn; `cache` says whether the tenant's response cache answered. */
  async chat(ctx: RequestContext, input: ChatInput): Promise<ChatResult> {
    return chatTurn(deps(this.env, this.ctx), ctx, input);
  }

  /**
   * A streamed turn as SSE bytes (meta, sources?, tool_call/tool_result*, message*, usage, done | error); cancel it to
   * stop the model. With `gate`, nothing is read, written or asked of the model before the gate admits the request.
   */
  async chatStream(ctx: RequestContext, input: ChatInput, gate?: AdmissionGate): Promise<ReadableStream<Uint8Array>> {
    return chatTurnStream(deps(this.env, this.ctx), ctx, input, gate);
  }

  async history(ctx: RequestContext, sessionId: string, params: HistoryParams = {}): Promise<HistoryPage> {
    const limit = Math.min(params.limit ?? CHAT_LIMITS.historyPageDefault, CHAT_LIMITS.historyPageMax);
    return sessionStub(this.env.CHAT_SESSION, ctx.tenantId, sessionId).page(ctx.tenantId, Number(params.cursor ?? 0), limit);
  }

  async deleteSession(ctx: RequestContext, sessionId: string): Promise<{ sessionId: string; deleted: true }> {
    await sessionStub(this.env.CHAT_SESSION, ctx.tenantId, sessionId).clear(ctx.tenantId);
    return { sessionId, deleted: true as const };
  }

  async embed(ctx: RequestContext, input: EmbeddingInput): Promise<EmbeddingResult> {
    if (input.input.length === 0) throw new AppError("invalid_request", "input must not be empty");
    const { model, data, usage } = await runEmbedding({ ai: aiOf(this.env), ctx, service: "chat", model: input.model }, input.input);
    return { model, data, usage: { prompt_tokens: usage.prompt_tokens, total_tokens: usage.total_tokens } };
  }
}

function deps(env: ChatEnv, ctx: ExecutionContext): ChatDeps {
  return {
    ai: aiOf(env),
    sessions: env.CHAT_SESSION,
    cache: env.CACHE,
    search: rpcClient(env.SEARCH, "search"),
    tools: rpcClient(env.TOOLS, "tools"),
    waitUntil: (p) => ctx.waitUntil(p),
  };
}

// Workers AI in staging and production, the local twin (same interface) in development.
const aiOf = (env: ChatEnv): AiRunner => meteredAi(env);

export default ChatService;
