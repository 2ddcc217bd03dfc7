// Tenants whose models run on an OpenAI-compatible provider: a fake upstream (node:http, port 0) and tenants deployed
// at runtime through the admin API with its real base URL, driven through the gateway with the `openai` SDK: streamed
// and plain text, tool calls run by the platform with the result sent back upstream, fallback to Workers AI (the
// twin) on an error and a timeout, usage counted for both, embeddings of the wrong dimension refused, and tenant
// configs naming a model no declared provider serves refused with 400.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OPERATOR_KEY, client as adminClient, ownIp, tenantConfig } from "./admin-helpers.ts";
import { call, gatewayUrl, postJson, settledUsage, twinOnly, uniqueId } from "./helpers.ts";

const admin = adminClient(gatewayUrl, ownIp());
const CHAT_TENANT = uniqueId("providers");
const EMBED_TENANT = uniqueId("providers-embed");
const keys: Record<string, string> = {};
const openai = () => new OpenAI({ baseURL: `${gatewayUrl()}/v1`, apiKey: keys[CHAT_TENANT]!, maxRetries: 0 });
let server: Server;
let baseUrl = "";

interface UpstreamMessage { role: string; content: string | null; name?: string; tool_call_id?: string; tool_calls?: unknown[] }
interface UpstreamRequest { path: string; body: { model: string; stream?: boolean; tools?: unknown[]; messages?: UpstreamMessage[]; input?: string[] } }
const received: UpstreamRequest[] = [];

beforeAll(async () => {
  server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  await deploy(CHAT_TENANT, { chat: "local/small", allowed: ["local/small", "local/broken", "local/hang", "@cf/meta/llama-3.1-8b-instruct-fast"] });
  await deploy(EMBED_TENANT, { chat: "@cf/meta/llama-3.1-8b-instruct-fast", embedding: "local/embed" });
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function providerConfig(id: string, models: Record<string, unknown>) {
  return tenantConfig(id, {
    models: { fallback: "@cf/meta/llama-3.1-8b-instruct-fast", timeoutMs: 1500, ...models },
    providers: { local: { kind: "openai-compatible", baseUrl, models: ["small", "broken", "hang", "embed"] } },
    limits: { requestsPerMinute: 6000, burst: 1000 },
    budgets: { tokensPerDay: 50_000_000, tokensPerMonth: 1_000_000_000 },
    features: { chat: true, search: true, ingest: true, tools: true, tts: false },
    // One round of tool calls, then the answer is streamed (or not) without tools: the path a stream takes upstream.
    tools: { allowed: ["*"], maxRounds: 1 },
  });
}

async function deploy(id: string, models: Record<string, unknown>): Promise<void> {
  const put = await admin("PUT", `/v1/admin/tenants/${id}`, OPERATOR_KEY, providerConfig(id, models));
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const key = await admin("POST", `/v1/admin/tenants/${id}/keys`, OPERATOR_KEY, { name: "providers-test", scopes: ["*"] });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  keys[id] = key.body.data.key;
}

const sse = (res: ServerResponse, frames: unknown[]) => {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const frame of frames) res.write(`data: ${JSON.stringify(frame)}\n\n`);
  res.end("data: [DONE]\n\n");
};

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  const body = JSON.parse(text) as UpstreamRequest["body"];
  received.push({ path: req.url ?? "", body });
  // Vectors of 4 dimensions, where the index holds 768.
  if (req.url === "/v1/embeddings") return void res.end(JSON.stringify({ data: (body.input ?? []).map(() => ({ embedding: [0.5, 0.5, 0.5, 0.5] })), usage: { prompt_tokens: 3, total_tokens: 3 } }));
  if (body.model === "broken") return void res.writeHead(503, { "content-type": "application/json" }).end('{"error":"down"}');
  // Never answers: the platform's timeout (the tenant's models.timeoutMs, 1.5 s) must end the call.
  if (body.model === "hang") return;
  const messages = body.messages ?? [];
  const lookup = /^look up (\S+)$/.exec(messages.at(-1)?.content ?? "")?.[1];
  // Offered tools and asked to look something up: call kv_get (the platform's rounds are never streamed).
  if (body.tools && lookup) {
    const toolCalls = [{ id: "call_up_1", type: "function", function: { name: "kv_get", arguments: JSON.stringify({ name: lookup }) } }];
    return void res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: null, tool_calls: toolCalls }, finish_reason: "tool_calls" }], usage: { prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 } }));
  }
  const toolResult = messages.find((m) => m.role === "tool");
  const pieces = toolResult ? ["The tool", " answered: ", toolResult.content ?? ""] : body.stream ? ["Upstream", " streams", " this."] : ["Upstream says hello."];
  if (!body.stream) return void res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: pieces.join("") } }], usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 } }));
  sse(res, [...pieces.map((piece) => ({ choices: [{ delta: { content: piece } }] })), { choices: [], usage: { prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 } }]);
}

const KV_TOOL = [{ type: "function" as const, function: { name: "kv_get", parameters: { type: "object" } } }];

twinOnly.describe("OpenAI-compatible provider end to end", () => {
  it("streams the upstream's text through /v1/chat/completions", async () => {
    const stream = await openai().chat.completions.create({ model: "local/small", stream: true, messages: [{ role: "user", content: "hi" }] });
    const parts: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) parts.push(chunk.choices[0].delta.content);
    expect(parts.join("")).toBe("Upstream streams this.");
    expect(received.at(-1)).toMatchObject({ path: "/v1/chat/completions", body: { model: "small", stream: true } });
  });

  it("answers without streaming with the upstream's text and usage", async () => {
    const completion = await openai().chat.completions.create({ model: "local/small", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]!.message.content).toBe("Upstream says hello.");
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 });
  });

  for (const stream of [true, false]) {
    it(`runs the upstream's tool call, sends the result back upstream and ${stream ? "streams" : "returns"} the final text; the call is audited`, async () => {
      const name = stream ? "support_email" : "billing_email";
      const traceId = uniqueId("providers-tools");
      const params = { model: "local/small", messages: [{ role: "user" as const, content: `look up ${name}` }], tools: KV_TOOL };
      let text = "";
      if (stream) {
        for await (const chunk of await openai().chat.completions.create({ ...params, stream: true }, { headers: { "x-trace-id": traceId } })) text += chunk.choices[0]?.delta.content ?? "";
      } else {
        text = (await openai().chat.completions.create(params, { headers: { "x-trace-id": traceId } })).choices[0]!.message.content ?? "";
      }
      const result = JSON.stringify({ name, found: false, value: null });
      expect(text).toBe(`The tool answered: ${result}`);

      const rounds = received.filter((r) => JSON.stringify(r.body.messages ?? []).includes(`look up ${name}`));
      expect(rounds.map((r) => [r.body.stream ?? false, Boolean(r.body.tools)])).toEqual([[false, true], [stream, false]]);
      expect(rounds[1]!.body.messages!.slice(-2)).toEqual([
        { role: "assistant", content: "", tool_calls: [{ id: "call_up_1", type: "function", function: { name: "kv_get", arguments: JSON.stringify({ name }) } }] },
        { role: "tool", tool_call_id: "call_up_1", name: "kv_get", content: result },
      ]);

      const audit = await call<{ entries: { traceId: string; tool: string; route: string; outcome: string }[] }>("/v1/audit?tool=kv_get&limit=100", { key: keys[CHAT_TENANT] });
      expect(audit.body.data!.entries.filter((e) => e.traceId === traceId)).toEqual([expect.objectContaining({ traceId, tool: "kv_get", route: "/v1/chat/completions", outcome: "ok" })]);
    });
  }

  it("falls back to the tenant's Workers AI model when the upstream fails, and counts both in usage", async () => {
    const key = keys[CHAT_TENANT]!;
    const before = await settledUsage(key);
    const completion = await openai().chat.completions.create({ model: "local/broken", messages: [{ role: "user", content: "Say something about refunds" }] });
    expect(received.at(-1)?.body.model).toBe("broken");
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(completion.choices[0]!.message.content).not.toBe("Upstream says hello.");
    const afterFallback = await settledUsage(key);
    expect(afterFallback.tokens).toBeGreaterThan(before.tokens);
    await openai().chat.completions.create({ model: "local/small", messages: [{ role: "user", content: "hi" }] });
    const afterUpstream = await settledUsage(key);
    expect(afterUpstream.tokens - afterFallback.tokens).toBe(24);
  });

  it("falls back to Workers AI when the upstream does not answer within the tenant's timeout", async () => {
    const completion = await openai().chat.completions.create({ model: "local/hang", messages: [{ role: "user", content: "Say something about refunds" }] });
    expect(received.at(-1)?.body.model).toBe("hang");
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(completion.choices[0]!.message.content).not.toBe("Upstream says hello.");
  });

  it("refuses embeddings whose dimension does not match the index: a 502 at query time, the document rejected at ingest", async () => {
    const key = keys[EMBED_TENANT]!;
    const message = "embedding dimension 4 does not match the index (768)";
    const search = await postJson("/v1/search", { query: "night shipping tariffs", answer: false, cache: false }, key);
    expect(search.status).toBe(502);
    expect(search.body.error).toMatchObject({ code: "upstream_error", message });
    expect(received.at(-1)).toMatchObject({ path: "/v1/embeddings", body: { model: "embed" } });

    const ingested = await postJson("/v1/ingest", { documents: [{ id: "wrong-dimension", text: "Parcels ship at night on the aurora tariff." }] }, key);
    expect(ingested.status).toBe(200);
    expect(ingested.body.data).toMatchObject({ status: "failed", counts: { total: 1, rejected: 1 }, documents: [{ id: "wrong-dimension", status: "rejected", reason: `upstream_error: ${message}` }] });
  });

  it("refuses a tenant config whose model no declared provider serves, naming the field", async () => {
    const id = uniqueId("providers-bad");
    const put = await admin("PUT", `/v1/admin/tenants/${id}`, OPERATOR_KEY, providerConfig(id, { chat: "local/small", allowed: ["local/large", "openai/gpt-4o-mini"] }));
    expect(put.status).toBe(400);
    expect(put.body.error).toMatchObject({
      code: "invalid_request",
      details: { nested: {
        "models.allowed.0": ['model "local/large": "large" is not in providers.local.models (small, broken, hang, embed)'],
        "models.allowed.1": ['model "openai/gpt-4o-mini" is neither a Workers AI model (@cf/..., @hf/...) nor <provider>/<model> of a declared provider (declared: local)'],
      } },
    });
  });
});
