// Text helpers of the AI twins: the platform's words and Porter stemmer (shared/src/util/text.ts), the twins'
// stopwords, sentences and token estimates.
import { stem, stopwordsWith, words } from "@platform/shared";

export { stem, words };

/** Words that carry little meaning for retrieval: left out of embeddings and of the terms that decide relevance. */
export const STOPWORDS = stopwordsWith("us please tell explain give show answer question context know");

/** Stemmed content words (stopwords dropped), the terms that decide relevance. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);
}

/** Workers AI-style token estimate: about four characters a token, at least one. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Splits prose into sentences, keeping their end punctuation. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
