// The OpenAI-compatible routes driven by real clients: the official `openai` SDK and the AI SDK's openai-compatible provider.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { streamText } from "ai";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { ACME_KEY, gatewayUrl, testTenant } from "./helpers.ts";

const KEY = testTenant("test-openai").key;

const MODEL = "@cf/meta/llama-3.1-8b-instruct-fast";
const client = (apiKey = KEY) => new OpenAI({ baseURL: `${gatewayUrl()}/v1`, apiKey, maxRetries: 0 });

describe("OpenAI SDK", () => {
  it("streams several content chunks and ends", async () => {
    const stream = await client().chat.completions.create({ model: MODEL, stream: true, messages: [{ role: "user", content: "Say something about refunds" }] });
    const contents: string[] = [];
    const finishes: (string | null)[] = [];
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      const choice = chunk.choices[0];
      if (choice?.delta.content) contents.push(choice.delta.content);
      if (choice) finishes.push(choice.finish_reason);
    }
    expect(contents.length).toBeGreaterThan(2);
    expect(contents.join("").length).toBeGreaterThan(10);
    expect(finishes.at(-1)).toBe("stop");
  });

  it("reports usage in a last chunk when stream_options.include_usage is set", async () => {
    const stream = await client().chat.completions.create({ model: MODEL, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it("returns content and usage without streaming", async () => {
    const completion = await client().chat.completions.create({
      model: MODEL,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "What is a token budget?" }] },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe(MODEL);
    expect(completion.choices[0]?.message.role).toBe("assistant");
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  it("lists the tenant's allowed models", async () => {
    const own = (await client().models.list()).data.map((m) => m.id);
    expect(own).toEqual(expect.arrayContaining([MODEL, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/openai/gpt-oss-120b"]));
    const acme = await client(ACME_KEY).models.list();
    expect(acme.data.map((m) => m.id)).not.toContain("@cf/openai/gpt-oss-120b");
    expect(acme.data[0]).toMatchObject({ object: "model", owned_by: expect.any(String), created: expect.any(Number) });
  });

  it("creates embeddings for a string and for an array, mapping OpenAI model names to the tenant's model", async () => {
    const one = await client().embeddings.create({ model: "text-embedding-3-small", input: "refund policy" });
    expect(one.data).toHaveLength(1);
    expect(one.data[0]!.embedding).toHaveLength(768);
    expect(one.model).toBe("@cf/baai/bge-base-en-v1.5");
    const many = await client().embeddings.create({ model: "text-embedding-3-small", input: ["refunds", "invoices", "refund policy"], encoding_format: "float" });
    expect(many.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(many.usage.prompt_tokens).toBeGreaterThan(0);
    // The SDK asks for base64 by default and decodes it: both encodings carry the same vector.
    const decoded = one.data[0]!.embedding;
    const floats = many.data[2]!.embedding;
    expect(Math.max(...decoded.map((x, i) => Math.abs(x - floats[i]!)))).toBeLessThan(1e-6);
    expect(decoded.some((x) => x !== 0)).toBe(true);
  });

  it("answers errors in OpenAI's shape with the same status and a trace id", async () => {
    const error = await client()
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.status).toBe(400);
    expect(bad.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param: "model" });
    expect(bad.message).toContain(MODEL);

    const unauthorized = await client("sk-wrong").models.list().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);

    const raw = await fetch(`${gatewayUrl()}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ model: MODEL }) });
    expect(raw.status).toBe(400);
    expect(raw.headers.get("x-trace-id")).toBeTruthy();
    const body = (await raw.json()) as { error: { message: string; type: string; code: string; param: string | null } };
    expect(body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param: "messages" });
  });
});

describe("AI SDK (openai-compatible provider)", () => {
  it("streams text with streamText", async () => {
    const platform = createOpenAICompatible({ name: "platform", baseURL: `${gatewayUrl()}/v1`, apiKey: KEY, includeUsage: true });
    const result = streamText({ model: platform(MODEL), prompt: "Tell me about invoices", maxRetries: 0 });
    const parts: string[] = [];
    for await (const text of result.textStream) parts.push(text);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.join("")).toBe(await result.text);
    expect(await result.finishReason).toBe("stop");
    expect((await result.usage).totalTokens).toBeGreaterThan(0);
  });
});
