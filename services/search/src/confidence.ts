// Confidence from the evidence: the reranker's score of the best passage when there is one, else how much of the
// query the best passage covers and whether both retrieval sides agree on it.
import { stem, words, type Confidence, type ConfidenceLevel, type RetrievedChunk } from "@platform/shared";

export const HIGH = 0.7;
export const MEDIUM = 0.4;

/** Share of the keywords (stemmed) that appear in the chunk's text, title or headings. */
export function coverage(keywords: readonly string[], chunk: RetrievedChunk): number {
  if (keywords.length === 0) return 0;
  const present = new Set(words([chunk.title ?? "", ...chunk.headings, chunk.text].join(" ")).map(stem));
  return keywords.filter((k) => present.has(stem(k))).length / keywords.length;
}

export function levelOf(score: number): ConfidenceLevel {
  return score >= HIGH ? "high" : score >= MEDIUM ? "medium" : "low";
}

export function assessConfidence(chunks: readonly RetrievedChunk[], keywords: readonly string[], reranked: boolean): Confidence {
  const top = chunks[0];
  if (!top) return { level: "none", score: 0, note: "no passage in the tenant's documents matched the query" };
  const covered = coverage(keywords, top);
  const agreed = top.ranks.semantic !== undefined && top.ranks.keyword !== undefined;
  const termsNote = `the best passage contains ${Math.round(covered * keywords.length)} of ${keywords.length} query terms`;
  if (reranked) {
    const score = round(Math.min(top.score, 0.5 + 0.5 * covered));
    return { level: levelOf(score), score, note: `${termsNote}; reranker relevance ${top.score.toFixed(2)}` };
  }
  const score = round(0.75 * covered + (agreed ? 0.25 : 0.05));
  return { level: levelOf(score), score, note: `${termsNote}${agreed ? " and both keyword and semantic search ranked it" : ""}` };
}

/** Lowers confidence to at most `level` with a reason (the model said it does not know, or cited nothing). */
export function capConfidence(confidence: Confidence, level: "low" | "medium", reason: string): Confidence {
  const cap = level === "low" ? MEDIUM - 0.01 : HIGH - 0.01;
  if (confidence.score <= cap) return { ...confidence, note: `${confidence.note}; ${reason}` };
  return { level, score: round(cap), note: `${confidence.note}; ${reason}` };
}

const round = (n: number) => Math.round(n * 100) / 100;
