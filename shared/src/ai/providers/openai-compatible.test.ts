// The OpenAI-compatible provider through the one AI path, against a fake upstream standing in for global fetch:
// plain and streamed chat, tool calls, embeddings, an error and a timeout falling back to Workers AI, and the key.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runChat, streamChat } from "../chat.ts";
import { runEmbedding } from "../embed.ts";
import { context, drain, fakeAi, PRIMARY, quiet } from "../testing.ts";
import { endpoint, runOpenAICompatible } from "./openai-compatible.ts";

const seen: { path: string; auth: string | null; body: Record<string, unknown> }[] = [];
const baseUrl = "http://127.0.0.1:18999/v1";

/** The fake upstream, as global fetch sees it: OpenAI's answers per model, a 500, and one that never answers. */
async function upstream(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const body = (await request.json()) as Record<string, unknown>;
  const path = new URL(request.url).pathname;
  seen.push({ path, auth: request.headers.get("authorization"), body });
  const model = String(body.model);
  if (model === "broken") return new Response("{}", { status: 500 });
  if (model === "slow") return new Promise<Response>(() => {}); // never answers: the caller's timeout gives up
  if (path === "/v1/embeddings") {
    const texts = body.input as string[];
    return Response.json({ data: texts.map((_, i) => ({ embedding: [i, 1, 0] })), usage: { prompt_tokens: 7, total_tokens: 7 } });
  }
  if (body.stream) {
    const frames = ["Hello", " from", " upstream"].map((piece) => `data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
    frames.push(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } })}\n\n`, "data: [DONE]\n\n");
    return new Response(frames.join(""), { headers: { "content-type": "text/event-stream" } });
  }
  const toolCalls = body.tools ? [{ id: "call_a", type: "function", function: { name: "kv_get", arguments: '{"key":"x"}' } }] : undefined;
  return Response.json({ choices: [{ message: { role: "assistant", content: "plain answer", tool_calls: toolCalls } }], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } });
}

beforeAll(() => {
  vi.stubGlobal("fetch", upstream);
});

afterAll(() => {
  vi.unstubAllGlobals();
});

const tenant = (chat: string, fallback = PRIMARY) =>
  context({
    models: { chat, fallback, embedding: "local/embed", allowed: [chat, fallback] },
    providers: { local: { kind: "openai-compatible", baseUrl, apiKeySecret: "LOCAL_LLM_KEY", models: ["small", "broken", "slow", "embed"] } },
  });
const env = { LOCAL_LLM_KEY: "sk-upstream" };

describe("OpenAI-compatible provider", () => {
  it("answers a chat through the upstream with its usage and the key from the named secret", async () => {
    quiet();
    const { ai, calls } = fakeAi(() => ({ response: "workers ai" }));
    const out = await runChat({ ai, ctx: tenant("local/small"), service: "chat", providerEnv: env }, { messages: [{ role: "user", content: "hi" }] });
    expect(out).toMatchObject({ model: "local/small", content: "plain answer", fallback: false, usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } });
    expect(seen.at(-1)).toMatchObject({ path: "/v1/chat/completions", auth: "Bearer sk-upstream", body: { model: "small" } });
    expect(calls).toHaveLength(0);
  });

  it("reads the upstream's tool calls", async () => {
    quiet();
    const tools = [{ type: "function" as const, function: { name: "kv_get", description: "d", parameters: { type: "object" } } }];
    const out = await runChat({ ai: fakeAi(() => ({})).ai, ctx: tenant("local/small"), service: "chat", providerEnv: env }, { messages: [{ role: "user", content: "hi" }], tools });
    expect(out.toolCalls).toEqual([{ id: "call_a", name: "kv_get", arguments: { key: "x" } }]);
  });

  it("streams the upstream's deltas and counts its usage", async () => {
    quiet();
    const out = await streamChat({ ai: fakeAi(() => ({})).ai, ctx: tenant("local/small"), service: "chat", providerEnv: env }, { messages: [{ role: "user", content: "hi" }] });
    expect((await drain(out.deltas)).join("")).toBe("Hello from upstream");
    expect((await out.outcome).usage).toEqual({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    expect(seen.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("falls back to Workers AI when the upstream fails or times out, and back to the provider the other way", async () => {
    quiet();
    const { ai } = fakeAi(() => ({ response: "from workers ai" }));
    const failed = await runChat({ ai, ctx: tenant("local/broken"), service: "chat", providerEnv: env }, { messages: [{ role: "user", content: "hi" }] });
    expect(failed).toMatchObject({ model: PRIMARY, content: "from workers ai", fallback: true });
    const slow = await runChat({ ai, ctx: tenant("local/slow"), service: "chat", providerEnv: env, timeoutMs: 300 }, { messages: [{ role: "user", content: "hi" }] });
    expect(slow).toMatchObject({ model: PRIMARY, fallback: true });
    const failing = fakeAi(() => {
      throw new Error("workers ai down");
    });
    const back = await runChat({ ai: failing.ai, ctx: tenant(PRIMARY, "local/small"), service: "chat", providerEnv: env }, { messages: [{ role: "user", content: "hi" }] });
    expect(back).toMatchObject({ model: "local/small", content: "plain answer", fallback: true });
  });

  it("refuses a call whose secret is not set, as that model failing", async () => {
    quiet();
    const error = await runChat({ ai: fakeAi(() => ({})).ai, ctx: tenant("local/small", "local/small"), service: "chat", providerEnv: {} }, { messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(String(error)).toContain("LOCAL_LLM_KEY is not set");
  });

  it("embeds through the upstream in Workers AI's shape", async () => {
    quiet();
    const out = await runEmbedding({ ai: fakeAi(() => ({})).ai, ctx: tenant("local/small"), service: "ingest", providerEnv: env }, ["a", "b"]);
    expect(out.data).toEqual([[0, 1, 0], [1, 1, 0]]);
    expect(seen.at(-1)).toMatchObject({ path: "/v1/embeddings", body: { model: "embed", input: ["a", "b"] } });
  });

  it("goes through the tenant's AI Gateway compat endpoint when the provider has a gateway name and the account is known", () => {
    const config = { kind: "openai-compatible" as const, baseUrl: "https://api.example.com/v1", gatewayProvider: "openai", models: ["gpt-x"] };
    const gateway = { gateway: { id: "gw", metadata: {} } };
    expect(endpoint(config, "gpt-x", gateway, { CLOUDFLARE_ACCOUNT_ID: "acct" })).toEqual({ base: "https://gateway.ai.cloudflare.com/v1/acct/gw/compat", model: "openai/gpt-x", viaGateway: true });
    expect(endpoint(config, "gpt-x", {}, { CLOUDFLARE_ACCOUNT_ID: "acct" })).toEqual({ base: "https://api.example.com/v1", model: "gpt-x", viaGateway: false });
  });

  it("pins the AI Gateway URL, model and headers of a provider call: account, the tenant's gateway id, the compat endpoint", async () => {
    const config = { kind: "openai-compatible" as const, baseUrl: "https://api.openai.com/v1", apiKeySecret: "OPENAI_API_KEY", gatewayProvider: "openai", models: ["gpt-4o-mini", "text-embedding-3-small"] };
    const options = { gateway: { id: "acme-gw", metadata: { tenantId: "acme", service: "chat" }, cacheTtl: 600 } };
    const account = "0123456789abcdef0123456789abcdef";
    const sent: { url: string; headers: Headers; body: Record<string, unknown> }[] = [];
    const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      sent.push({ url: request.url, headers: request.headers, body: (await request.json()) as Record<string, unknown> });
      return Response.json(request.url.endsWith("/embeddings") ? { data: [{ embedding: [1, 0] }] } : { choices: [{ message: { role: "assistant", content: "ok" } }] });
    };
    const env = { CLOUDFLARE_ACCOUNT_ID: account, OPENAI_API_KEY: "sk-openai" };
    await runOpenAICompatible(config, "gpt-4o-mini", { messages: [{ role: "user", content: "hi" }] }, options, env, fetcher);
    await runOpenAICompatible(config, "text-embedding-3-small", { text: ["a"] }, options, env, fetcher);
    expect(sent.map((s) => s.url)).toEqual([
      `https://gateway.ai.cloudflare.com/v1/${account}/acme-gw/compat/chat/completions`,
      `https://gateway.ai.cloudflare.com/v1/${account}/acme-gw/compat/embeddings`,
    ]);
    expect(sent.map((s) => s.body.model)).toEqual(["openai/gpt-4o-mini", "openai/text-embedding-3-small"]);
    expect(Object.fromEntries([...sent[0]!.headers].filter(([name]) => name.startsWith("cf-aig-") || name === "authorization"))).toEqual({
      authorization: "Bearer sk-openai", "cf-aig-metadata": '{"tenantId":"acme","service":"chat"}', "cf-aig-cache-ttl": "600",
    });
    // The placeholder the staging/production configs declare until the deploy fills it: the base URL, directly.
    await runOpenAICompatible(config, "gpt-4o-mini", { messages: [{ role: "user", content: "hi" }] }, options, { ...env, CLOUDFLARE_ACCOUNT_ID: "" }, fetcher);
    expect(sent.at(-1)).toMatchObject({ url: "https://api.openai.com/v1/chat/completions", body: { model: "gpt-4o-mini" } });
  });
});
