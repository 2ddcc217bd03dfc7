// OpenAI-compatible routes (chat completions, models, embeddings) over the same chat service, budgets and logs; their
// errors take OpenAI's shape (openai-errors.ts) so the official SDKs and the AI SDK work unchanged. `tools` names
// platform tools, which run server-side: the answer is the final one, never tool_calls for the client to run.
import {
  AppError,
  EmbeddingRequestSchema,
  OpenAIChatRequestSchema,
  SSE_HEADERS,
  allowedChatModels,
  contentText,
  estimateTokens,
  sseData,
  type ChatInput,
  type ChatResult,
  type ChatRole,
  type TokenUsage,
} from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { caller, needs } from "../guards.ts";
import { endUser } from "../limits/admit.ts";
import { withTokenBudget } from "../limits/budget.ts";
import { openAIJson as json } from "../openai-errors.ts";
import { usageOf, type ChatEvent } from "../relay.ts";
import type { GatewayRequest } from "../request.ts";
import { chatJson, chatSse } from "./chat.ts";

// Workers AI publishes no creation dates; a fixed one keeps /v1/models stable.
const MODEL_CREATED = 1_704_067_200;

export async function chatCompletions(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const who = caller(request);
  const body = parseInput(OpenAIChatRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  request.userId ??= endUser((body as { user?: unknown }).user, "user");
  const toolNames = body.tool_choice === "none" ? [] : [...new Set((body.tools ?? []).map((t) => t.function.name))];
  if (toolNames.length) needs("tools")(request);
  const rctx = requestContext(who, request.traceId, request.route);
  const input: ChatInput = {
    stateless: true,
    model: body.model,
    messages: body.messages.map((m) => ({ role: (m.role === "developer" ? "system" : m.role) as ChatRole, content: contentText(m.content) })),
  };
  if (toolNames.length) input.tools = { names: toolNames };
  if (typeof body.temperature === "number") input.temperature = body.temperature;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof maxTokens === "number") input.max_tokens = maxTokens;
  const created = Math.floor(Date.now() / 1000);

  if (!body.stream) {
    const result = await chatJson(request, env, rctx, input);
    return json(completion(result, created), { "x-cache": result.cache });
  }
  const chunks = completionChunks(`chatcmpl-${crypto.randomUUID()}`, created, body.stream_options?.include_usage === true);
  const { stream } = await chatSse(request, env, ctx, rctx, input, chunks);
  return new Response(stream, { headers: SSE_HEADERS });
}

export function listModels(request: GatewayRequest): Response {
  const { tenant } = caller(request);
  const ids = [...new Set([...allowedChatModels(tenant), tenant.models.embedding])];
  return json({ object: "list", data: ids.map((id) => ({ id, object: "model", created: MODEL_CREATED, owned_by: ownerOf(id) })) });
}

export async function embeddings(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const who = caller(request);
  const body = parseInput(EmbeddingRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  request.userId ??= endUser((body as { user?: unknown }).user, "user");
  const rctx = requestContext(who, request.traceId, request.route);
  const texts = typeof body.input === "string" ? [body.input] : body.input;
  const input = body.model === undefined ? { input: texts } : { input: texts, model: body.model };
  const estimate = estimateTokens(texts.reduce((sum, t) => sum + t.length, 0));
  const { result, settled } = await withTokenBudget(request, env, estimate, () => env.CHAT.embed(rctx, input), (r) => r.usage.total_tokens);
  await settled;
  request.ai = { model: result.model, tokensIn: result.usage.prompt_tokens, tokensOut: 0 };
  const dimensions = result.data[0]?.length;
  if (body.dimensions !== undefined && body.dimensions !== dimensions) {
    throw new AppError("invalid_request", `${result.model} has ${dimensions} dimensions; omit \`dimensions\` or send ${dimensions}`, { details: { nested: { dimensions: ["unsupported dimensions"] } } });
  }
  const base64 = body.encoding_format === "base64";
  return json({
    object: "list",
    data: result.data.map((vector, index) => ({ object: "embedding", index, embedding: base64 ? float32Base64(vector) : vector })),
    model: result.model,
    usage: result.usage,
  });
}

function completion(result: ChatResult, created: number) {
  return {
    id: `chatcmpl-${result.messageId}`,
    object: "chat.completion",
    created,
    model: result.model,
    choices: [{ index: 0, message: { role: "assistant", content: result.content }, logprobs: null, finish_reason: "stop" }],
    usage: result.usage,
  };
}

/** Maps the chat service's SSE events to `chat.completion.chunk` frames and `data: [DONE]`. */
function completionChunks(id: string, created: number, includeUsage: boolean) {
  let model = "";
  let usage: TokenUsage | undefined;
  const chunk = (choices: unknown[], extra: object = {}) => sseData({ id, object: "chat.completion.chunk", created, model, choices, ...extra });
  const choice = (delta: object, finish: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finish });
  return ({ event, data }: ChatEvent): Uint8Array[] => {
    const record = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    switch (event) {
      case "meta":
        model = typeof record.model === "string" ? record.model : model;
        return [chunk([choice({ role: "assistant", content: "" })])];
      case "message":
        return typeof record.content === "string" ? [chunk([choice({ content: record.content })])] : [];
      case "usage":
        usage = usageOf(record) ?? usage;
        return [];
      case "done": {
        const out = [chunk([choice({}, "stop")])];
        if (includeUsage && usage) out.push(chunk([], { usage }));
        out.push(sseData("[DONE]"));
        return out;
      }
      case "error":
        return [sseData({ error: { message: String(record.message ?? "upstream error"), type: "api_error", code: record.code ?? "upstream_error", param: null } })];
      default:
        return [];
    }
  };
}

function ownerOf(model: string): string {
  return /^@cf\/([^/]+)\//.exec(model)?.[1] ?? "workers-ai";
}

function float32Base64(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
