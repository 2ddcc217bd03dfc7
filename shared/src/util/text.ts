// Text basics for the lexical parts of the platform (query keywords, the rule-based tools, the local AI twins):
// words, English stopwords and the Porter stemmer (the algorithm SQLite FTS5's `porter` tokenizer implements).
import { stemmer } from "stemmer";

/** English function words that carry little meaning for retrieval; each use adds its own filler words. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both " +
    "but by can could did do does doing down during each few for from further had has have having he her here hers herself " +
    "him himself his how i if in into is it its itself just me more most my myself no nor not of off on once only or other " +
    "our ours ourselves out over own same she should so some such than that the their theirs them themselves then there " +
    "these they this those through to too under until up very was we were what when where which while who whom why will " +
    "with would you your yours yourself yourselves"
  ).split(" "),
);

/** The shared stopwords plus a use's own filler words. */
export function stopwordsWith(extra: string): ReadonlySet<string> {
  return new Set([...STOPWORDS, ...extra.split(/\s+/).filter(Boolean)]);
}

/** Lowercased words (runs of letters and digits) of a text, in order. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Stems of words seen lately: the stemmer's regular expressions cost microseconds a word, and ingest and the tools
// stem the same words again and again. Cleared when full, so memory stays bounded.
const STEMS = new Map<string, string>();
const MAX_CACHED_STEMS = 100_000;

/**
 * The Porter stemmer (M. F. Porter, 1980): "inhibition" and "inhibits" meet "inhibit", "resetting" meets "reset".
 * Words with characters other than a-z (numbers, accents) are kept as they are, as FTS5's tokenizer keeps them.
 */
export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  let stemmed = STEMS.get(word);
  if (stemmed === undefined) {
    if (STEMS.size >= MAX_CACHED_STEMS) STEMS.clear();
    STEMS.set(word, (stemmed = stemmer(word)));
  }
  return stemmed;
}
