// Conformance of the Workers AI twin (LocalAI.run over RPC): chat and stream shapes, grounding, the tool rule,
// embeddings, the reranker, TTS and model errors.
import { createParser } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiRun, aiStream, startTwin, type Twin } from "./harness.ts";

const LLAMA = "@cf/meta/llama-3.1-8b-instruct-fast";
const CONTEXT = [
  "Answer only from the context below and cite passages as [n].",
  "",
  "Context:",
  "[1] Refunds are processed within five business days. Refund requests need an order number.",
  "[2] The Lisbon office is open from 9 to 17 on weekdays.",
  "[3] Passwords can be reset from the account settings page.",
].join("\n");
const SUMMARIZE = { name: "summarize", description: "Summarise a text", parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } };
const WEATHER = {
  type: "function",
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city", "days"] } },
};

interface ChatResult {
  response: string;
  tool_calls?: { name: string; arguments: Record<string, unknown> }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

let twin: Twin;
beforeAll(async () => {
  twin = await startTwin();
});
afterAll(async () => {
  await twin?.stop();
});

const chat = (inputs: Record<string, unknown>, model = LLAMA) => aiRun<ChatResult>(twin, model, inputs);
const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

async function sseEvents(response: Response): Promise<string[]> {
  const events: string[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event.data) });
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) parser.feed(decoder.decode(chunk, { stream: true }));
  return events;
}

describe("Workers AI twin: chat", () => {
  it("answers chat deterministically with a response and token usage", async () => {
    const inputs = { messages: [{ role: "user", content: "What does the platform do?" }] };
    const result = await chat(inputs);
    expect(result).toEqual({ response: expect.any(String), usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) } });
    expect(result.response.length).toBeGreaterThan(0);
    expect(result.usage.total_tokens).toBe(result.usage.prompt_tokens + result.usage.completion_tokens);
    expect(result.usage.completion_tokens).toBe(Math.ceil(result.response.length / 4));
    expect(await chat(inputs)).toEqual(result);
    expect((await chat({ prompt: "What does the platform do?" })).response).toBe(result.response);
  });

  it("streams Workers AI frames, then a usage frame, then [DONE]", async () => {
    const inputs = { messages: [{ role: "system", content: CONTEXT }, { role: "user", content: "Where is the office and when is it open?" }] };
    const events = await sseEvents(await aiStream(twin, LLAMA, { ...inputs, stream: true }));
    expect(events.at(-1)).toBe("[DONE]");
    const frames = events.slice(0, -1).map((data) => JSON.parse(data) as { response: string; p?: string; usage?: ChatResult["usage"] });
    const usageFrame = frames.at(-1)!;
    expect(usageFrame).toEqual({ response: "", usage: expect.objectContaining({ total_tokens: expect.any(Number) }) });
    const tokens = frames.slice(0, -1);
    expect(tokens.length).toBeGreaterThan(3);
    for (const frame of tokens) expect(frame).toEqual({ response: expect.any(String), p: expect.any(String) });
    const whole = await chat(inputs);
    expect(tokens.map((f) => f.response).join("")).toBe(whole.response);
    expect(usageFrame.usage).toEqual(whole.usage);
  });

  it("grounds its answer in the numbered context passages and cites them", async () => {
    const { response } = await chat({ messages: [{ role: "system", content: CONTEXT }, { role: "user", content: "How long does a refund take?" }] });
    expect(response).toContain("five business days");
    expect(response).toMatch(/\[1\]/);
    expect(response).not.toMatch(/\[2\]|\[3\]/);
  });

  it("says it does not know when the context does not answer the question", async () => {
    const { response } = await chat({ messages: [{ role: "system", content: CONTEXT }, { role: "user", content: "What is the capital of Peru?" }] });
    expect(response).toMatch(/don't know/i);
    expect(response).not.toMatch(/\[\d\]/);
    const empty = await chat({ messages: [{ role: "system", content: "Context:\n\nAnswer from the context." }, { role: "user", content: "How long does a refund take?" }] });
    expect(empty.response).toMatch(/don't know/i);
  });

  it("calls the tool a user message names, reading its arguments from the text", async () => {
    const tools = [SUMMARIZE, WEATHER];
    const summarize = await chat({ tools, messages: [{ role: "user", content: "Please use summarize: Workers run on the edge." }] });
    expect(summarize).toMatchObject({ response: "", tool_calls: [{ name: "summarize", arguments: { text: "Workers run on the edge." } }] });
    const weather = await chat({ tools, messages: [{ role: "user", content: "get_weather city=Lisbon days=3" }] });
    expect(weather.tool_calls).toEqual([{ name: "get_weather", arguments: { city: "Lisbon", days: 3 } }]);
    const none = await chat({ tools, messages: [{ role: "user", content: "Hello there" }] });
    expect(none.tool_calls).toBeUndefined();
    expect(none.response).not.toBe("");
  });

  it("answers from the tool result when the last message is a tool message", async () => {
    const { response, tool_calls } = await chat({
      tools: [SUMMARIZE],
      messages: [
        { role: "user", content: "use summarize: a long text about Workers" },
        { role: "assistant", content: "", tool_calls: [{ name: "summarize", arguments: { text: "a long text about Workers" } }] },
        { role: "tool", content: "Workers run close to users." },
      ],
    });
    expect(tool_calls).toBeUndefined();
    expect(response).toContain("summarize");
    expect(response).toContain("Workers run close to users.");
  });

  it("stops at max_tokens", async () => {
    const inputs = { messages: [{ role: "user", content: "Tell me everything about the refund process in detail." }] };
    const full = await chat(inputs);
    const short = await chat({ ...inputs, max_tokens: 5 });
    expect(short.usage.completion_tokens).toBeLessThanOrEqual(5);
    expect(full.response.startsWith(short.response)).toBe(true);
    expect(short.response.length).toBeLessThan(full.response.length);
  });

  it("answers gpt-oss in OpenAI shapes: Chat Completions for messages, Responses for input", async () => {
    const completion = await aiRun<{ object: string; choices: { message: { content: string }; finish_reason: string }[]; usage: object }>(twin, "@cf/openai/gpt-oss-120b", {
      messages: [{ role: "system", content: CONTEXT }, { role: "user", content: "How do I reset my password?" }],
    });
    expect(completion).toMatchObject({ object: "chat.completion", choices: [{ finish_reason: "stop" }], usage: { total_tokens: expect.any(Number) } });
    expect(completion.choices[0]!.message.content).toMatch(/\[3\]/);
    const responses = await aiRun<{ object: string; output_text: string }>(twin, "@cf/openai/gpt-oss-120b", { instructions: CONTEXT, input: "How do I reset my password?" });
    expect(responses).toMatchObject({ object: "response", output_text: completion.choices[0]!.message.content });
  });

  it("fails like an unavailable model when the name contains 'unavailable', and rejects unknown models", async () => {
    await expect(chat({ prompt: "hi" }, "@cf/meta/llama-unavailable-instruct")).rejects.toThrow(/AiError: 5007: model unavailable/);
    await expect(aiRun(twin, "@cf/acme/not-a-model", { prompt: "hi" })).rejects.toThrow("AiError: 5007: No such model @cf/acme/not-a-model");
    await expect(chat({ messages: "hello" })).rejects.toThrow(/AiError: 5006/);
  });
});

describe("Workers AI twin: embeddings, reranker and speech", () => {
  it("embeds in each model's dimension with { shape, data }", async () => {
    const models = { "@cf/baai/bge-m3": 1024, "@cf/baai/bge-base-en-v1.5": 768, "@cf/baai/bge-small-en-v1.5": 384, "@cf/baai/bge-large-en-v1.5": 1024 };
    for (const [model, dims] of Object.entries(models)) {
      const { shape, data } = await aiRun<{ shape: number[]; data: number[][] }>(twin, model, { text: ["one", "two"] });
      expect(shape).toEqual([2, dims]);
      expect(data.map((v) => v.length)).toEqual([dims, dims]);
      expect(cosine(data[0]!, data[0]!)).toBeCloseTo(1, 6);
    }
    await expect(aiRun(twin, "@cf/baai/bge-base-en-v1.5", { text: Array.from({ length: 101 }, (_, i) => `t${i}`) })).rejects.toThrow(/100 items/);
  });

  it("embeds deterministically, placing similar texts nearer", async () => {
    const texts = ["how do I reset my password", "password reset instructions", "quarterly revenue report"];
    const first = await aiRun<{ data: number[][] }>(twin, "@cf/baai/bge-base-en-v1.5", { text: texts });
    const second = await aiRun<{ data: number[][] }>(twin, "@cf/baai/bge-base-en-v1.5", { text: texts });
    expect(second.data).toEqual(first.data);
    const [query, related, unrelated] = first.data as [number[], number[], number[]];
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
  });

  it("reranks contexts by relevance to the query, best first, scores in 0..1", async () => {
    const contexts = [{ text: "Quarterly revenue grew by ten percent." }, { text: "To reset your password, open account settings." }, { text: "Password rules: twelve characters." }];
    const { response } = await aiRun<{ response: { id: number; score: number }[] }>(twin, "@cf/baai/bge-reranker-base", { query: "how do I reset my password", contexts });
    expect(response.map((r) => r.id)).toEqual([1, 2, 0]);
    expect(response.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
    expect(response[0]!.score).toBeGreaterThan(0.5);
    expect(response[2]!.score).toBeLessThan(0.1);
    const top = await aiRun<{ response: unknown[] }>(twin, "@cf/baai/bge-reranker-base", { query: "password", contexts, top_k: 1 });
    expect(top.response).toHaveLength(1);
    await expect(aiRun(twin, "@cf/baai/bge-reranker-base", { contexts })).rejects.toThrow(/`query` is missing/);
  });

  it("speaks MeloTTS as a base64 WAV that grows with the text", async () => {
    const wav = async (prompt: string) => Buffer.from((await aiRun<{ audio: string }>(twin, "@cf/myshell-ai/melotts", { prompt, lang: "en" })).audio, "base64");
    const short = await wav("Hello.");
    const long = await wav("Hello, this is a much longer sentence to read aloud.");
    expectWav(short);
    expect(long.readUInt32LE(40)).toBeGreaterThan(short.readUInt32LE(40));
    expect(long.length).toBe(44 + long.readUInt32LE(40));
  });

  it("streams Deepgram Aura audio as WAV bytes", async () => {
    const bytes = async (text: string) => Buffer.from(await (await aiStream(twin, "@cf/deepgram/aura-2-en", { text, speaker: "luna" })).arrayBuffer());
    const short = await bytes("Hi there.");
    expectWav(short);
    expect((await bytes("Hi there, and welcome to the platform.")).length).toBeGreaterThan(short.length);
  });
});

function expectWav(bytes: Buffer): void {
  expect(bytes.toString("ascii", 0, 4)).toBe("RIFF");
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  expect(bytes.toString("ascii", 8, 16)).toBe("WAVEfmt ");
  expect(bytes.readUInt16LE(20)).toBe(1); // PCM
  expect(bytes.readUInt16LE(22)).toBe(1); // mono
  expect(bytes.readUInt32LE(24)).toBe(16_000);
  expect(bytes.readUInt16LE(34)).toBe(16);
  expect(bytes.toString("ascii", 36, 40)).toBe("data");
}
