// A tenant whose chat model runs on an OpenAI-compatible provider: a fake upstream (node:http) on 127.0.0.1:18931,
// the port tests/tenants/test-providers/tenant.json names, driven through /v1/chat/completions with the `openai` SDK:
// the upstream's streamed text, the fallback to Workers AI (the twin) when the upstream fails, usage counted for both.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gatewayUrl, settledUsage, testTenant, twinOnly } from "./helpers.ts";

const TENANT = testTenant("test-providers");
const UPSTREAM_PORT = 18931;
const client = () => new OpenAI({ baseURL: `${gatewayUrl()}/v1`, apiKey: TENANT.key, maxRetries: 0 });
let server: Server;
const models: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(UPSTREAM_PORT, "127.0.0.1", resolve));
});

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  const body = JSON.parse(text) as { model: string; stream?: boolean };
  models.push(body.model);
  if (body.model === "broken") return void res.writeHead(503, { "content-type": "application/json" }).end('{"error":"down"}');
  // Never answers: the platform's timeout (the tenant's models.timeoutMs, 1.5 s) must end the call.
  if (body.model === "hang") return;
  if (!body.stream) {
    return void res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "Upstream says hello." } }], usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 } }));
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const piece of ["Upstream", " streams", " this."]) res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 } })}\n\n`);
  res.end("data: [DONE]\n\n");
}

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

twinOnly.describe("OpenAI-compatible provider end to end", () => {
  it("streams the upstream's text through /v1/chat/completions", async () => {
    const stream = await client().chat.completions.create({ model: "local/small", stream: true, messages: [{ role: "user", content: "hi" }] });
    const parts: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) parts.push(chunk.choices[0].delta.content);
    expect(parts.join("")).toBe("Upstream streams this.");
    expect(models).toContain("small");
  });

  it("answers without streaming with the upstream's text and usage", async () => {
    const completion = await client().chat.completions.create({ model: "local/small", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]!.message.content).toBe("Upstream says hello.");
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 });
  });

  it("falls back to the tenant's Workers AI model when the upstream fails, and counts both in usage", async () => {
    const before = await settledUsage(TENANT.key);
    const completion = await client().chat.completions.create({ model: "local/broken", messages: [{ role: "user", content: "Say something about refunds" }] });
    expect(models).toContain("broken");
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(completion.choices[0]!.message.content).not.toBe("Upstream says hello.");
    const afterFallback = await settledUsage(TENANT.key);
    expect(afterFallback.tokens).toBeGreaterThan(before.tokens);
    await client().chat.completions.create({ model: "local/small", messages: [{ role: "user", content: "hi" }] });
    const afterUpstream = await settledUsage(TENANT.key);
    expect(afterUpstream.tokens - afterFallback.tokens).toBe(24);
  });

  it("falls back to Workers AI when the upstream does not answer within the tenant's timeout", async () => {
    const completion = await client().chat.completions.create({ model: "local/hang", messages: [{ role: "user", content: "Say something about refunds" }] });
    expect(models).toContain("hang");
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(completion.choices[0]!.message.content).not.toBe("Upstream says hello.");
  });
});
