// Embeddings: batches of 100, the tenant's model for OpenAI's names, and the index's dimension.
import { describe, expect, it } from "vitest";
import type { AppError } from "../errors.ts";
import { EmbeddingDimensionError, INDEX_DIMENSIONS, runEmbedding } from "./embed.ts";
import { context, fakeAi, quiet } from "./testing.ts";

describe("runEmbedding", () => {
  it("batches at 100 texts a call and estimates usage", async () => {
    const { ai, calls } = fakeAi((_model, inputs) => ({ shape: [0, 3], data: (inputs.text as string[]).map(() => [1, 0, 0]) }));
    quiet();
    const texts = Array.from({ length: 150 }, () => "abcd");
    const result = await runEmbedding({ ai, ctx: context(), service: "chat", model: "text-embedding-3-small" }, texts);
    expect(calls.map((c) => (c.inputs.text as string[]).length)).toEqual([100, 50]);
    expect(result.data).toHaveLength(150);
    expect(result.model).toBe("@cf/baai/bge-base-en-v1.5");
    expect(result.usage.prompt_tokens).toBe(150);
  });

  it("keeps at most 4 calls in flight and the vectors in the order of the texts", async () => {
    let inFlight = 0;
    let most = 0;
    const { ai } = fakeAi(async (_model, inputs) => {
      most = Math.max(most, ++inFlight);
      // Later batches answer sooner, so an order kept by arrival would show.
      const texts = inputs.text as string[];
      await new Promise((resolve) => setTimeout(resolve, 20 - Number(texts[0]) / 100));
      inFlight--;
      return { shape: [texts.length, 1], data: texts.map((t) => [Number(t)]) };
    });
    quiet();
    const texts = Array.from({ length: 950 }, (_, i) => String(i));
    const result = await runEmbedding({ ai, ctx: context(), service: "ingest" }, texts);
    expect(most).toBe(4);
    expect(result.data.map(([n]) => n)).toEqual(texts.map(Number));
  });
});

describe("runEmbedding against the index dimension", () => {
  it("throws a 502 naming both dimensions when the model's vectors do not fit the index", async () => {
    const { ai } = fakeAi((_model, inputs) => ({ shape: [0, 4], data: (inputs.text as string[]).map(() => [1, 0, 0, 0]) }));
    quiet();
    const error = await runEmbedding({ ai, ctx: context(), service: "search" }, ["a", "b"], INDEX_DIMENSIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingDimensionError);
    expect((error as AppError).status).toBe(502);
    expect((error as AppError).body).toEqual({ code: "upstream_error", message: "embedding dimension 4 does not match the index (768)" });
  });

  it("passes vectors of the index's length, and any length when no dimension is asked", async () => {
    const { ai } = fakeAi((_model, inputs) => ({ shape: [0, 768], data: (inputs.text as string[]).map(() => Array.from({ length: 768 }, () => 0.1)) }));
    quiet();
    expect((await runEmbedding({ ai, ctx: context(), service: "ingest" }, ["a"], INDEX_DIMENSIONS)).data[0]).toHaveLength(768);
    const { ai: small } = fakeAi(() => ({ shape: [1, 3], data: [[1, 0, 0]] }));
    expect((await runEmbedding({ ai: small, ctx: context(), service: "chat" }, ["a"])).data[0]).toHaveLength(3);
  });
});
