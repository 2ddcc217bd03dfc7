// Plain-text helpers for the rule-based tools: words (apostrophes and inner hyphens kept), stopwords, sentences and
// the platform's Porter stemmer. Deterministic.
import { stem, stopwordsWith } from "@platform/shared";

export { stem };

/** The shared stopwords plus words that say little in a document or a ticket. */
const STOPWORDS = stopwordsWith("now may might must shall us via per etc one two three get got let lets please thanks thank hello hi");

export const isStopword = (word: string): boolean => STOPWORDS.has(word);

/** Lowercase words of letters and digits (apostrophes and inner hyphens kept). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).map((w) => w.replace(/['’]s$/, ""));
}

/** Content words: no stopwords, no bare numbers, at least 3 characters. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length >= 3 && !isStopword(w) && !/^\d+$/.test(w));
}

export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n{2,}/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s !== "");
}

export const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();
