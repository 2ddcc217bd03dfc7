// Embeddings: batches of 100 and the tenant's model for OpenAI's names.
import { describe, expect, it } from "vitest";
import { runEmbedding } from "./embed.ts";
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
});
