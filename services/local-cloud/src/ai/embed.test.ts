// Unit tests of the lexical embeddings: shape, determinism, nearness, stemming, weighting and normalisation.
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
  it("embeds a batch in the requested dimension, deterministically", () => {
    const texts = Array.from({ length: 100 }, (_, i) => `${ABSTRACT} Variant ${i}.`);
    const first = embed({ text: texts }, 1024);
    expect(first.shape).toEqual([100, 1024]);
    expect(first.data[7]).toEqual(embed({ text: texts }, 1024).data[7]);
    expect(embed({ text: "one" }, 384).shape).toEqual([1, 384]);
  });

  it("gives a text the same vector whatever was embedded before it (each word's features are kept between texts)", () => {
    const text = "Hybrid retrieval\n\nhybrid search ranks passages; retrieval augmented answers cite passages";
    const first = embedText(text, 640);
    embed({ text: [ABSTRACT, "retrieval retrieval passages", "hybrid"] }, 640);
    expect(embedText(text, 640)).toEqual(first);
  });

  it("answers packed rows, which RPC's structured clone sends densely, not key by key", async () => {
    // RPC clones with V8's serializer, as node:v8 does (these tests run in Node; the package's types are the Workers').
    const v8 = (await import("node:v8" as string)) as { serialize: (value: unknown) => Uint8Array };
    const [row] = embed({ text: ABSTRACT }, 768).data;
    // A version header (0xff, version), then "A" for a dense array, "a" for a sparse (holey) one.
    expect(String.fromCharCode(v8.serialize(row)[2]!)).toBe("A");
  });

  it("places texts that share stems and sub-words nearer than unrelated ones", () => {
    const q = embedText("how do I reset my password", 768);
    expect(cosine(q, embedText("password reset instructions", 768))).toBeGreaterThan(cosine(q, embedText("quarterly revenue report", 768)) + 0.2);
    // Same stems, partly different 4-grams: near, but sub-words keep the surface forms apart a little.
    expect(cosine(embedText("resetting passwords", 384), embedText("reset password", 384))).toBeGreaterThan(0.6);
  });

  it("conflates word forms as the keyword index's Porter stemmer does", () => {
    const query = embedText("inhibition of PCSK9", 768);
    expect(cosine(query, embedText("antibodies that inhibit PCSK9", 768))).toBeGreaterThan(cosine(query, embedText("antibodies that block PCSK9", 768)));
    expect(cosine(embedText("generalization", 768), embedText("generalize", 768))).toBeGreaterThan(0.6);
  });

  it("still finds a misspelt or differently spelt word through its 4-grams", () => {
    const doc = embedText("Gene therapy for haemophilia B with an adeno-associated virus vector", 768);
    const unrelated = Math.max(...["hepatitis", "leukemia", "quantum"].map((w) => cosine(embedText(w, 768), doc)));
    for (const variant of ["hemophilia", "haemophlia"]) expect(cosine(embedText(variant, 768), doc)).toBeGreaterThan(unrelated + 0.04);
  });

  it("matches a compound with its parts, which whole-word matching cannot", () => {
    const doc = embedText("Checks and repairs a Linux filesystem", 768);
    expect(cosine(embedText("file system check", 768), doc)).toBeGreaterThan(cosine(embedText("file permissions check", 768), doc) + 0.1);
  });

  it("weighs the leading context line (title > headings before a blank line) more than the body", () => {
    const query = embedText("telescope", 768);
    const titled = embedText("Telescope mirrors\n\nPolishing glass for astronomy, with notes on a microscope.", 768);
    const mentioned = embedText("Microscope lenses\n\nPolishing glass for astronomy, with notes on a telescope.", 768);
    expect(cosine(query, titled)).toBeGreaterThan(cosine(query, mentioned) + 0.05);
  });

  it("ignores stopwords and weighs very common words less than topical ones", () => {
    expect(cosine(embedText("what is the boundary layer", 768), embedText("boundary layer", 768))).toBeCloseTo(1, 9);
    const doc = embedText("new results on boundary layer transition", 768);
    // "results" and "new" are as present in the document as "transition", but say less about it.
    expect(cosine(embedText("transition", 768), doc)).toBeGreaterThan(cosine(embedText("new results", 768), doc));
  });

  it("dampens repeated words (sublinear term frequency)", () => {
    const once = embedText("turbulence heat", 768);
    const often = embedText("turbulence turbulence turbulence turbulence heat", 768);
    const heat = embedText("heat", 768);
    expect(cosine(heat, often)).toBeLessThan(cosine(heat, once));
    expect(cosine(heat, often)).toBeGreaterThan(0.2);
  });

  it("returns unit vectors, even for empty or stopword-only text", () => {
    for (const text of ["", "Hello world", "what is this", ABSTRACT]) expect(cosine(embedText(text, 384), embedText(text, 384))).toBeCloseTo(1, 9);
    expect(cosine(embedText("what is this", 384), embedText("what is that", 384))).toBeLessThan(0.9);
  });
});
