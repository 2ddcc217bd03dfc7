// Chat request schemas: what the gateway accepts, and field-level issues for what it rejects.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ChatRequestSchema, EmbeddingRequestSchema, HistoryQuerySchema, OpenAIChatRequestSchema, contentText } from "./chat-contract.ts";

const issues = (schema: v.GenericSchema, input: unknown) => {
  const result = v.safeParse(schema, input);
  return result.success ? undefined : v.flatten(result.issues);
};

describe("ChatRequestSchema", () => {
  it("accepts a message or messages with options", () => {
    expect(v.parse(ChatRequestSchema, { message: "  hi  ", sessionId: "abc_DEF-1", temperature: 0, max_tokens: 64, stream: false })).toEqual({
      message: "hi",
      sessionId: "abc_DEF-1",
      temperature: 0,
      max_tokens: 64,
      stream: false,
    });
    expect(v.is(ChatRequestSchema, { messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hi" }] })).toBe(true);
  });

  it("requires exactly one of message and messages, reported on `message`", () => {
    expect(issues(ChatRequestSchema, {})?.nested).toHaveProperty("message");
    expect(issues(ChatRequestSchema, { message: "a", messages: [{ role: "user", content: "b" }] })?.nested).toHaveProperty("message");
  });

  it("rejects unknown options, oversized prompts and malformed session ids", () => {
    expect(issues(ChatRequestSchema, { message: "a", maxTokens: 5 })).toBeDefined();
    expect(issues(ChatRequestSchema, { messages: Array.from({ length: 5 }, () => ({ role: "user", content: "x".repeat(25_000) })) })?.nested).toHaveProperty("messages");
    expect(issues(ChatRequestSchema, { message: "a", sessionId: "a/b" })?.nested).toHaveProperty("sessionId");
    expect(issues(ChatRequestSchema, { message: "a", sessionId: "" })?.nested).toHaveProperty("sessionId");
  });
});

describe("HistoryQuerySchema", () => {
  it("turns limit into a number within 1..200", () => {
    expect(v.parse(HistoryQuerySchema, { limit: "20", cursor: "5" })).toEqual({ limit: 20, cursor: "5" });
    expect(v.is(HistoryQuerySchema, { limit: "201" })).toBe(false);
    expect(v.is(HistoryQuerySchema, { cursor: "-1" })).toBe(false);
  });
});

describe("OpenAI-compatible schemas", () => {
  it("accepts what OpenAI clients send, extra fields included", () => {
    const body = { model: "m", messages: [{ role: "developer", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }], top_p: 1, user: "u", stream: null };
    const parsed = v.parse(OpenAIChatRequestSchema, body);
    expect(contentText(parsed.messages[0]!.content)).toBe("ab");
  });

  it("takes a string or an array of strings as embedding input", () => {
    expect(v.is(EmbeddingRequestSchema, { input: "x" })).toBe(true);
    expect(v.is(EmbeddingRequestSchema, { input: ["x", "y"], model: "text-embedding-3-small", encoding_format: "base64" })).toBe(true);
    expect(v.is(EmbeddingRequestSchema, { input: [] })).toBe(false);
    expect(v.is(EmbeddingRequestSchema, { input: 3 })).toBe(false);
  });
});
