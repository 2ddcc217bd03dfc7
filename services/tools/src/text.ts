// Plain-text helpers for the rule-based tools: words, stopwords, sentences and a light stemmer. Deterministic.
const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by can " +
    "could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i " +
    "if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own " +
    "same she should so some such than that the their theirs them themselves then there these they this those through to too under " +
    "until up very was we were what when where which while who whom why will with would you your yours yourself yourselves may might " +
    "must shall us via per etc one two three get got let lets please thanks thank hello hi"
  ).split(" "),
);

export const isStopword = (word: string): boolean => STOPWORDS.has(word);

/** Lowercase words of letters and digits (apostrophes and inner hyphens kept). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).map((w) => w.replace(/['’]s$/, ""));
}

/** Content words: no stopwords, no bare numbers, at least 3 characters. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length >= 3 && !isStopword(w) && !/^\d+$/.test(w));
}

/** A light suffix stemmer, enough to match "refunds" with "refund" and "charging" with "charge". */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const [suffix, replacement] of [["ies", "y"], ["ing", ""], ["ed", ""], ["es", ""], ["s", ""]] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length) + replacement;
  }
  return word;
}

export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n{2,}/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s !== "");
}

export const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();
