// Fakes for the chat service's unit tests: a context, a scripted model (plain and streamed answers, tool calls), and
// tools and search services that record their calls. Used only by *.test.ts.
import * as v from "valibot";
import { TenantConfigSchema, tenantSettings, type AiRunner, type RequestContext, type RetrieveInput, type RetrieveResult, type TenantConfigInput, type ToolCallInput, type ToolExecution, type ToolInfo } from "@platform/shared";
import type { SearchRpc, ToolsRpc } from "./ports.ts";
import type { ChatDeps } from "./turn.ts";

export function context(overrides: Partial<TenantConfigInput> = {}): RequestContext {
  const config = v.parse(TenantConfigSchema, { id: "t1", name: "t1", keys: [], models: { chat: "@cf/test/chat" }, ...overrides });
  return { tenantId: "t1", keyId: "k1", scopes: ["*"], traceId: "trace-1", route: "/v1/chat", tenant: tenantSettings(config) };
}

export type ModelReply = { response: string; tool_calls?: { name: string; arguments: unknown }[] };

/** A model that answers each call with the next reply (the last one repeats); streamed calls get SSE frames. */
export function scriptedAi(replies: ModelReply[]) {
  const calls: Record<string, unknown>[] = [];
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
  const ai: AiRunner = {
    async run(_model, inputs) {
      calls.push(inputs);
      const reply = replies[Math.min(calls.length - 1, replies.length - 1)]!;
      if (inputs.stream !== true) return { ...reply, usage };
      const frames = [...reply.response.split(/(?<= )/).map((t) => `data: ${JSON.stringify({ response: t })}\n\n`), `data: ${JSON.stringify({ response: "", usage })}\n\n`, "data: [DONE]\n\n"];
      const encoder = new TextEncoder();
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = frames.shift();
          if (next) controller.enqueue(encoder.encode(next));
          else controller.close();
        },
      });
    },
  };
  return { ai, calls };
}

export const TOOL: ToolInfo = {
  name: "summarize",
  description: "Summarize a text.",
  parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  scopes: ["tools"],
  limits: { maxInputBytes: 1000, maxOutputBytes: 1000, timeoutMs: 1000 },
};

export function fakeTools(execute: (call: ToolCallInput) => Promise<Partial<ToolExecution>> = async () => ({ result: { summary: "short" } })) {
  const executed: ToolCallInput[] = [];
  const tools: ToolsRpc = {
    list: async () => ({ tools: [TOOL, { ...TOOL, name: "kv_get" }] }),
    async execute(_ctx, call) {
      executed.push(call);
      const out = await execute(call);
      return { tool: call.tool, result: null, latencyMs: 1, truncated: false, usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, ...out };
    },
  };
  return { tools, executed };
}

export function fakeSearch(chunks: { docId: string; text: string; title?: string }[]) {
  const queries: RetrieveInput[] = [];
  const search: SearchRpc = {
    async retrieve(_ctx, input): Promise<RetrieveResult> {
      queries.push(input);
      return {
        chunks: chunks.map((c, i) => ({ ...c, chunkId: `${c.docId}-c${i}`, score: 1 - i / 10, headings: [], metadata: {}, ranks: {} })),
        mode: "hybrid",
        reranked: false,
        counts: { semantic: chunks.length, keyword: chunks.length, fused: chunks.length, stale: 0 },
        usage: { embeddingTokens: 4, rerankTokens: 0, total_tokens: 4 },
      };
    },
  };
  return { search, queries };
}

export function deps(parts: { ai: AiRunner; tools?: ToolsRpc; search?: SearchRpc }): ChatDeps {
  const missing = () => Promise.reject(new Error("not faked"));
  return {
    ai: parts.ai,
    tools: parts.tools ?? { list: missing, execute: missing },
    search: parts.search ?? { retrieve: missing },
    // Stateless turns (the OpenAI route's) use neither sessions nor the cache.
    sessions: undefined as never,
    cache: undefined as never,
    waitUntil: () => {},
  };
}

export async function sseEvents(stream: ReadableStream<Uint8Array>): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await new Response(stream).text();
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown>;
      return { event, data };
    });
}
