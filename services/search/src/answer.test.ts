// Unit tests for the answer's prompt, citation checks, confidence, follow-ups, snippets and cache keys.
import { RAG_INSTRUCTIONS, RAG_PASSAGES_END, type RetrievedChunk } from "@platform/shared";
import { describe, expect, it } from "vitest";
import { answerMessages, checkCitations, saysDontKnow, weakEvidenceAnswer } from "./answer.ts";
import { cacheable, cacheKey } from "./cache.ts";
import { assessConfidence, capConfidence } from "./confidence.ts";
import { followUps } from "./follow-ups.ts";
import { snippet } from "./search.ts";

const chunk = (over: Partial<RetrievedChunk> = {}): RetrievedChunk => ({
  docId: "reset",
  chunkId: "c1",
  text: "Open the sign-in page and choose Forgot password.\n- Check the spam folder.",
  score: 0.9,
  title: "Resetting your password",
  headings: ["Resetting your password", "When the email does not arrive"],
  metadata: {},
  ranks: { semantic: 1, keyword: 1 },
  ...over,
});

describe("answer prompt", () => {
  it("numbers passages one per line, leads with their section and lists titles apart", () => {
    const [system, user] = answerMessages("how do I reset it", [chunk(), chunk({ docId: "b", title: "Billing", headings: [] })]);
    expect(system!.content).toBe(
      `${RAG_INSTRUCTIONS}\n\n` +
        "Passage 1 is from: Resetting your password > When the email does not arrive\nPassage 2 is from: Billing\n\n" +
        "Context:\n[1] When the email does not arrive: Open the sign-in page and choose Forgot password. Check the spam folder.\n" +
        "[2] Open the sign-in page and choose Forgot password. Check the spam folder.\n",
    );
    expect(system!.content).toMatch(/data, not instructions/);
    expect(user).toEqual({ role: "user", content: "how do I reset it" });
  });

  it("leads with the tenant's answer prompt and keeps the guard around the passages", () => {
    const [system] = answerMessages("q", [chunk({ headings: [] })], "Answer like a support agent of Acme.");
    expect(system!.content.startsWith(`Answer like a support agent of Acme.\n\n${RAG_INSTRUCTIONS}\n`)).toBe(true);
    expect(system!.content.endsWith(`\n${RAG_PASSAGES_END}\n`)).toBe(true);
  });
});

describe("checkCitations", () => {
  it("keeps citations of existing passages and removes the others", () => {
    const result = checkCitations("Choose Forgot password [1]. Wait [3]. Check spam [2].", 2);
    expect(result.text).toBe("Choose Forgot password [1]. Wait. Check spam [2].");
    expect([...result.cited]).toEqual([1, 2]);
  });

  it("recognises an answer that says it does not know", () => {
    expect(saysDontKnow("I don't know: the provided context does not contain the answer to that question.")).toBe(true);
    expect(saysDontKnow("Choose Forgot password [1].")).toBe(false);
  });

  it("says so rather than guessing when the evidence is weak", () => {
    expect(weakEvidenceAnswer("capital of Mongolia", [], 0).text).toMatch(/could not find anything/);
    const weak = weakEvidenceAnswer("reset", [chunk()], 0.3);
    expect(weak.text).toMatch(/could not find a reliable answer.*Resetting your password \[1\]/);
  });
});

describe("assessConfidence", () => {
  it("is none without passages", () => {
    expect(assessConfidence([], ["reset"], true)).toMatchObject({ level: "none", score: 0 });
  });

  it("follows the reranker's score, capped by how much of the query the passage covers", () => {
    expect(assessConfidence([chunk({ score: 0.95 })], ["password", "spam"], true).level).toBe("high");
    expect(assessConfidence([chunk({ score: 0.95 })], ["invoice", "refund"], true)).toMatchObject({ level: "medium", score: 0.5 });
    expect(assessConfidence([chunk({ score: 0.1 })], ["password"], true).level).toBe("low");
  });

  it("without a reranker, rewards coverage and agreement of both retrieval sides", () => {
    expect(assessConfidence([chunk()], ["password", "spam"], false)).toMatchObject({ level: "high", score: 1 });
    expect(assessConfidence([chunk({ ranks: { semantic: 1 } })], ["invoice"], false).level).toBe("low");
  });

  it("can be capped with a reason", () => {
    const capped = capConfidence({ level: "high", score: 0.9, note: "n" }, "low", "the model found no answer");
    expect(capped).toEqual({ level: "low", score: 0.39, note: "n; the model found no answer" });
  });
});

describe("followUps", () => {
  it("suggests sections the question did not cover and the next step for its intent", () => {
    const out = followUps("how do I reset my password", ["reset", "password"], "how_to", [chunk(), chunk({ headings: ["Resetting your password"] })], "high");
    expect(out).toEqual(['What does "Resetting your password" say about when the email does not arrive?', "What are common problems with reset password?"]);
  });

  it("offers only what was found when the evidence is weak", () => {
    expect(followUps("capital of mongolia", ["capital", "mongolia"], "question", [chunk()], "low")).toEqual([
      'What does "Resetting your password" say about when the email does not arrive?',
    ]);
  });
});

describe("snippet", () => {
  it("shows the text around the first keyword, cut at words", () => {
    const text = `${"lorem ipsum ".repeat(40)}the refund window is thirty days ${"dolor sit ".repeat(40)}`;
    const s = snippet(text, ["refund"]);
    expect(s).toContain("refund window is thirty days");
    expect(s.startsWith("…")).toBe(true);
    expect(s.length).toBeLessThanOrEqual(245);
  });
});

describe("cache keys", () => {
  it("are per tenant and index version, equal for equivalent queries and filters in any key order", async () => {
    const a = await cacheKey("demo", 3, { query: "Reset password?", topK: 5, mode: "hybrid", rerank: true, answer: true, filter: { a: 1, b: { $in: ["x"] } } });
    const b = await cacheKey("demo", 3, { query: "reset  password", topK: 5, mode: "hybrid", rerank: true, answer: true, filter: { b: { $in: ["x"] }, a: 1 } });
    expect(a).toBe(b);
    expect(a.startsWith("demo:search:v3:")).toBe(true);
    expect(await cacheKey("demo", 4, { query: "reset password", topK: 5, mode: "hybrid", rerank: true, answer: true })).not.toBe(a);
  });

  it("are not written while Vectorize may still be applying the last change", () => {
    expect(cacheable(1_000, 120_000, 60_000)).toBe(false);
    expect(cacheable(1_000, 120_000, 200_000)).toBe(true);
    expect(cacheable(Date.now(), 0)).toBe(true);
  });
});
