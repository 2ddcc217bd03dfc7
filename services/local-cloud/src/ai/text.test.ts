// Unit tests of the text helpers: the Porter stemmer (as SQLite FTS5's `porter` tokenizer stems), terms, sentences.
import { describe, expect, it } from "vitest";
import { estimateTokens, sentences, stem, terms } from "./text.ts";

describe("stem (Porter)", () => {
  it("stems the examples of Porter's paper", () => {
    const cases: Record<string, string> = {
      caresses: "caress",
      ponies: "poni",
      cats: "cat",
      feed: "feed",
      agreed: "agre",
      plastered: "plaster",
      motoring: "motor",
      sing: "sing",
      conflated: "conflat",
      troubled: "troubl",
      sized: "size",
      hopping: "hop",
      falling: "fall",
      filing: "file",
      happy: "happi",
      relational: "relat",
      conditional: "condit",
      digitizer: "digit",
      hopefulness: "hope",
      formalize: "formal",
      electrical: "electr",
      revival: "reviv",
      adjustment: "adjust",
      adoption: "adopt",
      controlling: "control",
      generalization: "gener",
    };
    for (const [word, stemmed] of Object.entries(cases)) expect(stem(word), word).toBe(stemmed);
  });

  it("meets the word forms users mix up", () => {
    expect(stem("inhibition")).toBe(stem("inhibits"));
    expect(stem("resetting")).toBe(stem("reset"));
    expect(stem("instructions")).toBe(stem("instruction"));
    expect(stem("policies")).toBe(stem("policy"));
  });

  it("leaves short words, numbers and non-ASCII words alone", () => {
    for (const word of ["is", "2024", "b12", "café", "naïve"]) expect(stem(word)).toBe(word);
  });
});

describe("terms, sentences and tokens", () => {
  it("keeps stemmed content words only", () => {
    expect(terms("How do I reset the passwords?")).toEqual(["reset", "password"]);
  });

  it("splits sentences on end punctuation and lines", () => {
    expect(sentences("One. Two? Three!\nFour")).toEqual(["One.", "Two?", "Three!", "Four"]);
  });

  it("estimates about four characters a token", () => {
    expect(estimateTokens("")).toBe(1);
    expect(estimateTokens("abcdefgh")).toBe(2);
  });
});
