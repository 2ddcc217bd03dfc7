// Unit tests of the lexical embeddings: speed on a realistic batch, nearness and stemming.
import { describe, expect, it } from "vitest";
import { embed, embedText } from "./embed.ts";

const ABSTRACT =
  "We study retrieval augmented generation for multi-tenant platforms running at the edge. Documents are split into " +
  "chunks, embedded and indexed; answers cite the passages they use. Experiments on support articles show that hybrid " +
  "retrieval, combining lexical and vector search, improves answer accuracy while keeping latency under fifty milliseconds.";

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};

describe("lexical embeddings", () => {
  it("embeds 100 abstract-sized texts well under 50 ms", () => {
    const texts = Array.from({ length: 100 }, (_, i) => `${ABSTRACT} Variant ${i}.`);
    embed({ text: texts.slice(0, 5) }, 768);
    const started = performance.now();
    const { shape } = embed({ text: texts }, 1024);
    expect(performance.now() - started).toBeLessThan(50);
    expect(shape).toEqual([100, 1024]);
  });

  it("places texts that share stems and sub-words nearer than unrelated ones", () => {
    const q = embedText("how do I reset my password", 768);
    expect(cosine(q, embedText("password reset instructions", 768))).toBeGreaterThan(cosine(q, embedText("quarterly revenue report", 768)) + 0.2);
    expect(cosine(embedText("resetting passwords", 384), embedText("reset password", 384))).toBeGreaterThan(0.8);
  });

  it("returns unit vectors, even for empty text", () => {
    expect(cosine(embedText("", 384), embedText("", 384))).toBeCloseTo(1, 9);
    expect(cosine(embedText("Hello world", 384), embedText("Hello world", 384))).toBeCloseTo(1, 9);
  });
});
