// Unit tests for query rewriting, intent detection, keywords and the cache's query normalisation.
import { describe, expect, it } from "vitest";
import { stem } from "@platform/shared";
import { keywords, normalizeQuery, rewriteQuery } from "./query-rewrite.ts";

describe("rewriteQuery", () => {
  it("drops greetings, lead-ins and trailing politeness", () => {
    expect(rewriteQuery("Hi! Can you please tell me how to rotate an API key? Thanks").rewritten).toBe("how to rotate an API key");
    expect(rewriteQuery("I'd like to know what the refund window is, please.").rewritten).toBe("what the refund window is");
  });

  it("expands contractions", () => {
    expect(rewriteQuery("Why doesn't login work?").rewritten).toBe("Why does not login work");
    expect(rewriteQuery("what's SSO").rewritten).toBe("what is SSO");
  });

  it("keeps the original when nothing but filler was sent", () => {
    expect(rewriteQuery("please").rewritten).toBe("please");
  });

  it.each([
    ["What is a workspace?", "definition"],
    ["what does SSO mean", "definition"],
    ["What does the Sync Hub cost?", "question"],
    ["What is the refund window for annual Enterprise plans?", "question"],
    ["How do I invite a teammate?", "how_to"],
    ["steps to export data", "how_to"],
    ["Login fails with error 403", "troubleshooting"],
    ["the reset email does not arrive", "troubleshooting"],
    ["Team vs Enterprise plan", "comparison"],
    ["difference between roles and groups", "comparison"],
    ["pricing", "lookup"],
    ["Which regions store my data?", "question"],
  ])("reads %j as %s", (query, intent) => {
    expect(rewriteQuery(query).intent).toBe(intent);
  });

  it("picks content words as keywords, without stopwords or duplicates", () => {
    expect(rewriteQuery("How do I reset my password? My password expired").keywords).toEqual(["reset", "password", "expired"]);
    expect(keywords("what is it")).toEqual(["what", "is", "it"]);
    expect(keywords("error 5")).toEqual(["error", "5"]);
    expect(keywords("how long is the reset link valid")).toEqual(["reset", "link", "valid"]);
    expect(keywords("long term storage")).toEqual(["long", "term", "storage"]);
  });
});

describe("normalizeQuery", () => {
  it("makes equivalent spellings of a query one cache key", () => {
    expect(normalizeQuery("  How   do I Reset my password?? ")).toBe(normalizeQuery("how do i reset my password"));
    expect(normalizeQuery("ＡＰＩ keys")).toBe("api keys");
  });
});

describe("stem (the shared Porter stemmer the search side compares words with)", () => {
  it("meets inflections halfway", () => {
    expect(stem("resetting")).toBe(stem("reset"));
    expect(stem("policies")).toBe(stem("policy"));
    expect(stem("passwords")).toBe("password");
  });
});
